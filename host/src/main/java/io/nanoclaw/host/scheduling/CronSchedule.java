package io.nanoclaw.host.scheduling;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * 5-field cron (minute hour day-of-month month day-of-week, Vixie semantics: when both day fields are restricted,
 * either one matching is enough), evaluated on the user's wall clock.
 *
 * <p>cron-utils is asked about wall-clock time only (as if the zone were UTC, which has no DST); this class then
 * places the wall time in the user's zone itself, because cron-utils' own DST handling does what a user would not
 * expect: it silently skips a daily job whose time falls into the spring-forward gap, and runs a daily job twice
 * when its time falls into the repeated fall-back hour. Here:
 * <ul>
 *   <li>a wall time inside a gap runs that day, moved later by the gap's length (02:30 becomes 03:30 EDT on the
 *       US spring-forward day), the same rule java.time uses for a naive time the agent gives;</li>
 *   <li>a wall time inside a repeated hour runs once, at its first occurrence (a job every N minutes pauses for
 *       the repeated hour).</li>
 * </ul>
 * Nothing here reads the JVM's default zone.
 */
public final class CronSchedule {
    /** Longer expressions are refused before parsing: the agent is untrusted, and no sensible cron is this long. */
    static final int MAX_LENGTH = 200;
    private static final CronParser PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Bounds the walk past repeated wall times; two steps suffice in any real zone. */
    private static final int MAX_STEPS = 16;
    /** A fixed point for the "does it ever fire" check, so validation does not depend on today's date. */
    private static final ZonedDateTime PROBE = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private CronSchedule() {}

    /**
     * Checks an expression. Returns it stripped of surrounding blanks; throws IllegalArgumentException with a
     * message fit to show the agent, e.g. {@code invalid cron expression "0 25 * * *": Value 25 not in range [0, 23]}.
     */
    public static String validate(String expr) {
        Cron cron = parse(expr);
        if (ExecutionTime.forCron(cron).nextExecution(PROBE).isEmpty()) {
            throw invalid(expr, "it never fires (no such date)");
        }
        return expr.strip();
    }

    /**
     * The first run strictly after {@code from}, for a cron read in {@code zone}'s wall-clock time.
     *
     * @throws IllegalArgumentException when the expression is invalid or never fires again
     */
    public static Instant nextAfter(String expr, Instant from, ZoneId zone) {
        ExecutionTime et = ExecutionTime.forCron(parse(expr));
        LocalDateTime wall = LocalDateTime.ofInstant(from, zone);
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<ZonedDateTime> next = et.nextExecution(wall.atZone(ZoneOffset.UTC));
            if (next.isEmpty()) {
                throw invalid(expr, "it never fires again");
            }
            LocalDateTime local = next.get().toLocalDateTime();
            // Gap: moved later by the gap's length. Overlap: the earlier offset, i.e. the first occurrence.
            Instant at = ZonedDateTime.ofLocal(local, zone, null).toInstant();
            if (at.isAfter(from)) {
                return at;
            }
            // The wall time came round again in a repeated hour, but its first occurrence is past: skip it.
            wall = local;
        }
        throw invalid(expr, "no next run found");
    }

    private static Cron parse(String expr) {
        if (expr == null || expr.isBlank()) {
            throw new IllegalArgumentException("invalid cron expression \"\": it is empty");
        }
        if (expr.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid cron expression: longer than " + MAX_LENGTH + " characters");
        }
        String e = expr.strip();
        int fields = e.split("\\s+").length;
        if (fields != 5) {
            throw invalid(expr, "expected 5 fields (minute hour day-of-month month day-of-week), got " + fields);
        }
        try {
            Cron cron = PARSER.parse(e);
            cron.validate();
            return cron;
        } catch (IllegalArgumentException ex) {
            String why = ex.getMessage() == null ? "unparseable" : ex.getMessage()
                    .replace("Failed to parse cron expression. ", "");
            throw invalid(expr, why);
        }
    }

    private static IllegalArgumentException invalid(String expr, String why) {
        return new IllegalArgumentException("invalid cron expression " + TaskText.quote(expr) + ": " + why);
    }
}
