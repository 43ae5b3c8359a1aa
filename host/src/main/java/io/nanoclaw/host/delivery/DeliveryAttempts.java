package io.nanoclaw.host.delivery;

import io.nanoclaw.host.db.Db;
import io.nanoclaw.protocol.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;

/** Delivery attempts per outbound row, kept in the central DB so a restart neither resets nor repeats them. */
@Singleton
public class DeliveryAttempts {
    public static final int MAX_ATTEMPTS = 3;
    /** A platform outage (unreachable, 5xx) is retried far longer than a refusal: about 25 minutes in all. */
    public static final int MAX_OUTAGE_ATTEMPTS = 30;

    @Inject
    Db db;

    /** False while a failed row waits for its backoff to pass. */
    public boolean due(String sessionId, String rowId) {
        return db.one("SELECT next_attempt_at FROM delivery_attempts WHERE session_id = ? AND message_out_id = ?",
                        rs -> rs.getString(1), sessionId, rowId)
                .map(Timestamps::parseUtc)
                .map(t -> !t.isAfter(Instant.now()))
                .orElse(true);
    }

    /** Records a failure and returns the attempt count so far; backoff 2 s, 4 s, 8 s … up to 60 s. */
    public int failed(String sessionId, String rowId, String error) {
        db.update("INSERT INTO delivery_attempts(session_id, message_out_id, attempts, last_error) VALUES (?, ?, 1, ?) "
                + "ON CONFLICT(session_id, message_out_id) DO UPDATE SET attempts = attempts + 1, "
                + "last_error = excluded.last_error", sessionId, rowId, error);
        int n = db.one("SELECT attempts FROM delivery_attempts WHERE session_id = ? AND message_out_id = ?",
                rs -> rs.getInt(1), sessionId, rowId).orElse(1);
        Instant next = Instant.now().plusSeconds(Math.min(60, 2L << Math.min(n - 1, 5)));
        db.update("UPDATE delivery_attempts SET next_attempt_at = ? WHERE session_id = ? AND message_out_id = ?",
                Timestamps.iso(next), sessionId, rowId);
        return n;
    }

    /** The platform asked to wait (429): the next attempt waits that long and the wait is not a failed attempt. */
    public void postpone(String sessionId, String rowId, java.time.Duration wait, String reason) {
        db.update("INSERT INTO delivery_attempts(session_id, message_out_id, attempts, last_error, next_attempt_at) "
                + "VALUES (?, ?, 0, ?, ?) ON CONFLICT(session_id, message_out_id) DO UPDATE SET "
                + "last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at", sessionId, rowId,
                reason, Timestamps.iso(Instant.now().plus(wait)));
    }

    public void clear(String sessionId, String rowId) {
        db.update("DELETE FROM delivery_attempts WHERE session_id = ? AND message_out_id = ?", sessionId, rowId);
    }
}
