package io.nanoclaw.host.channels;

import java.io.IOException;
import java.time.Duration;

/**
 * The platform said "too many requests" and when to come back. Delivery waits that long before the next attempt and
 * does not count it as a failed attempt.
 */
public class RateLimitedException extends IOException {
    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
