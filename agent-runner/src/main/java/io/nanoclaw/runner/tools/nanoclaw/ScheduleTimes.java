package io.nanoclaw.runner.tools.nanoclaw;

import io.nanoclaw.runner.format.TimeZones;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The time fields of schedule_task and update_task. processAfter is read in the user's zone when it has no offset
 * and stored as JavaScript's toISOString() writes it (UTC, always milliseconds). recurrence gets a cheap shape
 * check (five fields of cron characters) so that an obvious slip is reported to the agent at once; the host
 * validates it fully and tells the agent if it still refuses it.
 */
final class ScheduleTimes {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern CRON_FIELD = Pattern.compile("[0-9A-Za-z*/,?#-]+");
    private static final int MAX_CRON_LENGTH = 200;

    private ScheduleTimes() {}

    static String processAfter(String input, ZoneId zone) throws Refusal {
        Instant t = TimeZones.parseZonedToUtc(input, zone);
        if (t == null) {
            throw new Refusal("invalid processAfter: " + input);
        }
        return ISO_MILLIS.format(t);
    }

    static String recurrence(String cron) throws Refusal {
        String c = cron.strip();
        String[] fields = c.isEmpty() ? new String[0] : c.split("\\s+");
        if (c.length() > MAX_CRON_LENGTH || fields.length != 5) {
            throw new Refusal("invalid recurrence: \"" + cron + "\" is not a 5-field cron expression (minute hour"
                    + " day-of-month month day-of-week, e.g. \"0 9 * * 1-5\")");
        }
        for (String f : fields) {
            if (!CRON_FIELD.matcher(f).matches()) {
                throw new Refusal("invalid recurrence: \"" + cron + "\": field \"" + f + "\" has characters cron"
                        + " does not use");
            }
        }
        return c;
    }
}
