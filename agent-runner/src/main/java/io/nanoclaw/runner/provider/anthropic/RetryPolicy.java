package io.nanoclaw.runner.provider.anthropic;

import java.time.Duration;

/**
 * Which failures are worth another try and how long to wait: 429, 5xx and 529 (overloaded), exponential backoff
 * from {@code initialDelay} (1 s, 2 s, 4 s, 8 s by default), a {@code retry-after} header in seconds wins.
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay) {

    public static RetryPolicy standard() {
        return new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public boolean isRetryableStatus(int status) {
        return status == 429 || status == 529 || (status >= 500 && status <= 599);
    }

    /** The wait before retry number {@code retryIndex} (0 for the first retry). */
    public Duration delay(int retryIndex, String retryAfterHeader) {
        Duration fromHeader = parseRetryAfter(retryAfterHeader);
        Duration d = fromHeader != null ? fromHeader : initialDelay.multipliedBy(1L << Math.min(retryIndex, 20));
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    private static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            return seconds >= 0 && !Double.isInfinite(seconds) ? Duration.ofMillis(Math.round(seconds * 1000)) : null;
        } catch (NumberFormatException e) {
            return null; // an HTTP-date: rare enough to fall back to our own backoff
        }
    }
}
