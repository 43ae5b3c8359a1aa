package io.nanoclaw.host.channels.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays for a channel: 1 s doubling up to a cap, with ±20 % jitter so adapters (and hosts) that lost the
 * same uplink don't all come back in the same second. Not thread-safe: one per connection loop.
 */
public final class Backoff {
    private final long firstMs;
    private final long capMs;
    private long nextMs;

    public Backoff(Duration first, Duration cap) {
        this.firstMs = first.toMillis();
        this.capMs = cap.toMillis();
        this.nextMs = firstMs;
    }

    public Backoff() {
        this(Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public Duration next() {
        long base = nextMs;
        nextMs = Math.min(capMs, nextMs * 2);
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.max(1, (long) (base * jitter)));
    }

    public void reset() {
        nextMs = firstMs;
    }
}
