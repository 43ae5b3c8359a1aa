package io.nanoclaw.runner.format;

import io.nanoclaw.protocol.Timestamps;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Message times as the user reads them: {@code Jun 15, 2026, 8:00 AM} in the user's zone (en-US). */
public final class LocalTimes {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm a", Locale.US);

    private LocalTimes() {}

    public static String format(Instant t, ZoneId zone) {
        return FORMAT.format(t.atZone(zone));
    }

    /** Formats a stored timestamp (either DB shape); an invalid zone means UTC; an unparseable time is kept as is. */
    public static String format(String timestamp, String tz) {
        return format(timestamp, TimeZones.resolve(tz));
    }

    public static String format(String timestamp, ZoneId zone) {
        Instant t = Timestamps.parseUtc(timestamp);
        return t == null ? (timestamp == null ? "" : timestamp) : format(t, zone);
    }
}
