package io.nanoclaw.runner.format;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IANA zone names, validated the way the original's Intl check does: a known zone name (case-insensitive, like
 * Intl) is valid; POSIX strings such as {@code IST-2} and bare offsets are not, because the agent is told the
 * zone by name in every prompt header.
 */
public final class TimeZones {
    public static final ZoneId UTC = ZoneId.of("UTC");

    /** How the original tells a time with a zone from a naive one: it ends in Z or in an offset. */
    private static final Pattern OFFSET_SUFFIX = Pattern.compile("(?:[Zz]|[+-]\\d{2}:?\\d{2})$");

    /** Names Intl reports as "UTC"; the header then reads the same as the original's. */
    private static final Set<String> UTC_ALIASES = Set.of("Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT",
            "Universal", "Zulu", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT", "GMT0", "GMT+0", "GMT-0",
            "Etc/Greenwich", "Greenwich");

    private static volatile Map<String, String> canonicalByLowerCase;

    private TimeZones() {}

    public static boolean isValid(String tz) {
        return canonical(tz) != null;
    }

    /** The zone for a name, or UTC when the name is not a valid IANA zone. */
    public static ZoneId resolve(String tz) {
        String c = canonical(tz);
        return c == null ? UTC : ZoneId.of(c);
    }

    /** The user's zone: TZ if valid, else the system zone if it is a named zone, else UTC. */
    public static ZoneId fromEnvironment(String tz) {
        String c = canonical(tz);
        if (c != null) {
            return ZoneId.of(c);
        }
        ZoneId system = ZoneId.systemDefault();
        String systemName = system instanceof ZoneOffset ? null : canonical(system.getId());
        return systemName == null ? UTC : ZoneId.of(systemName);
    }

    /**
     * Reads a time the agent gave (schedule_task's processAfter). With {@code Z} or an offset it is that instant;
     * without one it is wall-clock time in {@code zone} (a time inside a DST gap moves later by the gap's length,
     * the same rule the host uses for cron times). Accepts {@code T} or a space between date and time, and
     * optional seconds and fraction. Returns null when the text is not such a time.
     */
    public static Instant parseZonedToUtc(String input, ZoneId zone) {
        if (input == null) {
            return null;
        }
        String v = input.trim();
        if (v.length() > 10 && v.charAt(10) == ' ') {
            v = v.substring(0, 10) + 'T' + v.substring(11);
        }
        try {
            Matcher offset = OFFSET_SUFFIX.matcher(v);
            if (offset.find()) {
                String suffix = offset.group();
                if (suffix.equalsIgnoreCase("z")) {
                    v = v.substring(0, v.length() - 1) + 'Z';
                } else if (suffix.indexOf(':') < 0) {
                    v = v.substring(0, v.length() - 2) + ':' + v.substring(v.length() - 2);
                }
                return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            LocalDateTime local = LocalDateTime.parse(v, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            return ZonedDateTime.ofLocal(local, zone == null ? UTC : zone, null).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The same with a zone name; an invalid name reads naive times as UTC (as the original does). */
    public static Instant parseZonedToUtc(String input, String tz) {
        return parseZonedToUtc(input, resolve(tz));
    }

    private static String canonical(String tz) {
        if (tz == null) {
            return null;
        }
        String t = tz.trim();
        if (t.startsWith(":")) {
            t = t.substring(1); // POSIX allows TZ=":Europe/Paris"
        }
        if (t.isEmpty()) {
            return null;
        }
        String id = names().get(t.toLowerCase(Locale.ROOT));
        return id != null && UTC_ALIASES.contains(id) ? "UTC" : id;
    }

    private static Map<String, String> names() {
        Map<String, String> m = canonicalByLowerCase;
        if (m == null) {
            m = new HashMap<>();
            for (String id : ZoneId.getAvailableZoneIds()) {
                m.put(id.toLowerCase(Locale.ROOT), id);
            }
            canonicalByLowerCase = m;
        }
        return m;
    }
}
