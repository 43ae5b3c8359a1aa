package io.nanoclaw.runner.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.standard();

    @Test
    void backsOffExponentially() {
        assertEquals(Duration.ofSeconds(1), policy.delay(0, null));
        assertEquals(Duration.ofSeconds(2), policy.delay(1, null));
        assertEquals(Duration.ofSeconds(4), policy.delay(2, null));
        assertEquals(Duration.ofSeconds(8), policy.delay(3, null));
        assertEquals(4, policy.maxRetries());
    }

    @Test
    void retryAfterSecondsWinsAndIsCapped() {
        assertEquals(Duration.ofSeconds(3), policy.delay(0, "3"));
        assertEquals(Duration.ofMillis(1500), policy.delay(3, "1.5"));
        assertEquals(Duration.ofSeconds(60), policy.delay(0, "3600"));
        assertEquals(Duration.ofSeconds(2), policy.delay(1, "Wed, 21 Oct 2015 07:28:00 GMT"));
    }

    @Test
    void retriesRateLimitsServerErrorsAndOverload() {
        assertTrue(policy.isRetryableStatus(429));
        assertTrue(policy.isRetryableStatus(500));
        assertTrue(policy.isRetryableStatus(503));
        assertTrue(policy.isRetryableStatus(529));
        assertFalse(policy.isRetryableStatus(400));
        assertFalse(policy.isRetryableStatus(401));
        assertFalse(policy.isRetryableStatus(413));
    }
}
