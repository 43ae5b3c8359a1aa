package io.nanoclaw.runner.loop;

import java.util.function.LongSupplier;

/**
 * Decides when the loop queries and how long it sleeps. A poll costs one {@code PRAGMA data_version} (no table
 * read); the pending query runs only when the host committed something, when our own batch just finished, or at
 * least once a second (a process_after may have come due, gated rows may have been joined by a trigger). Sleeps
 * are short while the session is busy, so a warm reply isn't held up, and long when it has been quiet.
 */
public final class PollPacer {
    static final long FAST_MS = 20;
    static final long WARM_MS = 250;
    static final long IDLE_MS = 1000;
    static final long FAST_WINDOW_NANOS = 60_000_000_000L;
    static final long WARM_WINDOW_NANOS = 600_000_000_000L;
    static final long REQUERY_NANOS = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private long lastVersion;
    private boolean haveVersion;
    private boolean forced = true;
    private long lastQueryNanos;
    private long lastActivityNanos;

    public PollPacer(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.lastQueryNanos = now;
        this.lastActivityNanos = now; // a container starts because there is work: begin fast
    }

    /** Whether to run the pending query now, given inbound.db's current data_version. */
    public boolean shouldQuery(long dataVersion) {
        long now = nanoClock.getAsLong();
        boolean changed = !haveVersion || dataVersion != lastVersion;
        if (changed) {
            haveVersion = true;
            lastVersion = dataVersion;
            lastActivityNanos = now;
        }
        if (changed || forced || now - lastQueryNanos >= REQUERY_NANOS) {
            forced = false;
            lastQueryNanos = now;
            return true;
        }
        return false;
    }

    /** A batch ran: stay fast, and look again at once (more rows may be waiting behind it). */
    public void activity() {
        lastActivityNanos = nanoClock.getAsLong();
        forced = true;
    }

    public long sleepMillis() {
        long quiet = nanoClock.getAsLong() - lastActivityNanos;
        if (quiet < FAST_WINDOW_NANOS) {
            return FAST_MS;
        }
        return quiet < WARM_WINDOW_NANOS ? WARM_MS : IDLE_MS;
    }
}
