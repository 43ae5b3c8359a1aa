package io.nanoclaw.host.agents;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The caps alone: a sliding minute per direction, and a chain that a person's message resets. */
class A2aLimitsTest {
    /** A clock the test moves. */
    static final class TestClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void theRateIsPerDirectionInASlidingMinute() {
        TestClock clock = new TestClock();
        A2aLimits limits = new A2aLimits(2, 100, clock);
        assertNull(limits.admit("a", "b", "sa", ""));
        clock.millis += 30_000;
        assertNull(limits.admit("a", "b", "sa", ""));
        String why = limits.admit("a", "b", "sa", "");
        assertNotNull(why);
        assertTrue(why.contains("A2A_MAX_PER_MINUTE"), why);
        assertNull(limits.admit("b", "a", "sb", ""), "the other direction has its own count");
        clock.millis += 30_001; // the first one left the window
        assertNull(limits.admit("a", "b", "sa", ""));
    }

    @Test
    void theChainCountsBothWaysAndAPersonResetsIt() {
        A2aLimits limits = new A2aLimits(100, 3, new TestClock());
        assertNull(limits.admit("a", "b", "sa", "h1"));
        assertNull(limits.admit("b", "a", "sb", ""));
        assertNull(limits.admit("a", "b", "sa", "h1"));
        String why = limits.admit("b", "a", "sb", "");
        assertNotNull(why);
        assertTrue(why.contains("A2A_MAX_CHAIN"), why);
        assertTrue(limits.firstRefusal("b", "a"));
        assertFalse(limits.firstRefusal("a", "b"), "told once per pair");
        assertNull(limits.admit("a", "b", "sa", "h2"), "a new message from a person in A's session");
        assertTrue(limits.firstRefusal("a", "b"), "and the user may be told again next time");
    }
}
