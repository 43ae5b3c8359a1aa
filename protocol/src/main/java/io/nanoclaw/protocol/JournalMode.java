package io.nanoclaw.protocol;

import java.util.Locale;

/**
 * Journal mode of the session DBs. WAL by default: host and container share one kernel through bind mounts, so
 * readers never block the writer. DELETE for VM-backed mounts (Docker Desktop), where the -shm file can't be shared.
 */
public enum JournalMode {
    WAL, DELETE;

    public static JournalMode parse(String s) {
        if (s == null || s.isBlank()) {
            return WAL;
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("session journal mode must be WAL or DELETE, not '" + s + "'");
        }
    }
}
