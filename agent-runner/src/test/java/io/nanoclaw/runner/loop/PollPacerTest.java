package io.nanoclaw.runner.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PollPacerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PollPacer pacer = new PollPacer(now::get);

    private void advanceMs(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void queriesOnlyWhenTheDataChangedOrASecondPassed() {
        assertTrue(pacer.shouldQuery(5), "first poll");
        advanceMs(20);
        assertFalse(pacer.shouldQuery(5));
        advanceMs(20);
        assertTrue(pacer.shouldQuery(6), "host committed");
        advanceMs(500);
        assertFalse(pacer.shouldQuery(6));
        advanceMs(500);
        assertTrue(pacer.shouldQuery(6), "a process_after may have come due");
    }

    @Test
    void aBatchForcesTheNextQuery() {
        pacer.shouldQuery(1);
        pacer.activity();
        assertTrue(pacer.shouldQuery(1));
        assertFalse(pacer.shouldQuery(1));
    }

    @Test
    void slowsDownWhenQuiet() {
        assertEquals(20, pacer.sleepMillis());
        advanceMs(59_000);
        assertEquals(20, pacer.sleepMillis());
        advanceMs(2_000);
        assertEquals(250, pacer.sleepMillis());
        advanceMs(10 * 60_000);
        assertEquals(1000, pacer.sleepMillis());
        pacer.shouldQuery(42); // the host wrote something
        assertEquals(20, pacer.sleepMillis());
    }
}
