package io.nanoclaw.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The two timestamp shapes in the session DBs: SQLite's {@code datetime('now')} (UTC, "YYYY-MM-DD HH:MM:SS") for
 * acks and out rows, ISO-8601 with Z for message timestamps and state rows.
 */
public final class Timestamps {
    private static final DateTimeFormatter SQLITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Timestamps() {}

    public static String sqliteUtc(Instant t) {
        return SQLITE.format(t.atOffset(ZoneOffset.UTC));
    }

    public static String iso(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** Parses either shape; a time without a zone is UTC whatever the host's zone. Null when unparseable. */
    public static Instant parseUtc(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String v = s.trim();
        try {
            return OffsetDateTime.parse(v.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException ignored) {
            // no zone: read as UTC
        }
        try {
            return LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
