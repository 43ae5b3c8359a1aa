package io.nanoclaw.host.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.entities.Session;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cap and its queue on their own: who gets a slot, in which order, and that no slot leaks or is shared. */
class ContainerSlotsTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final BlockingQueue<String> turns = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private ContainerSlots slots(int cap) {
        ContainerSlots s = new ContainerSlots(cap, pool);
        s.onTurn(session -> turns.add(session.id()));
        return s;
    }

    private static Session session(String id) {
        return new Session(id, "ag", "mg", null, "active", "stopped", null);
    }

    @Test
    void wakesUpToTheCapGetASlotAndTheRestQueueInOrderOfTheirFirstWake() throws Exception {
        ContainerSlots slots = slots(2);
        assertEquals(ContainerSlots.Kind.GRANTED, slots.request(session("a")).kind());
        assertEquals(ContainerSlots.Kind.GRANTED, slots.request(session("b")).kind());
        ContainerSlots.Grant c = slots.request(session("c"));
        assertEquals(new ContainerSlots.Grant(ContainerSlots.Kind.QUEUED, 0, true), c);
        assertEquals(new ContainerSlots.Grant(ContainerSlots.Kind.QUEUED, 1, true), slots.request(session("d")));
        // A second wake of a queued session keeps its place and is not announced again.
        assertEquals(new ContainerSlots.Grant(ContainerSlots.Kind.QUEUED, 0, false), slots.request(session("c")));
        assertEquals(List.of("c", "d"), slots.queued());
        // A running session asking again holds its slot already.
        assertEquals(ContainerSlots.Kind.HELD, slots.request(session("a")).kind());

        slots.release("b");
        assertEquals("c", turns.poll(5, TimeUnit.SECONDS), "the head of the queue gets the freed slot");
        assertEquals(2, slots.inUse());
        assertEquals(List.of("d"), slots.queued());
        assertEquals(ContainerSlots.Kind.HELD, slots.request(session("c")).kind(), "the slot is c's now");
        // A new wake can't overtake d while d waits, even though it asks right after a release.
        assertEquals(new ContainerSlots.Grant(ContainerSlots.Kind.QUEUED, 1, true), slots.request(session("e")));
        slots.release("a");
        assertEquals("d", turns.poll(5, TimeUnit.SECONDS));
        slots.release("c");
        assertEquals("e", turns.poll(5, TimeUnit.SECONDS));
        assertNull(turns.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void releasingASlotTwiceOrOneNeverHeldFreesNothing() throws Exception {
        ContainerSlots slots = slots(1);
        slots.request(session("a"));
        slots.request(session("b"));
        slots.release("x");
        slots.release("b"); // queued, not holding
        assertEquals(1, slots.inUse());
        assertNull(turns.poll(200, TimeUnit.MILLISECONDS));
        slots.release("a");
        assertEquals("b", turns.poll(5, TimeUnit.SECONDS));
        slots.release("a");
        assertEquals(1, slots.inUse(), "b keeps its slot");
    }

    @Test
    void aDroppedSessionLeavesTheQueue() throws Exception {
        ContainerSlots slots = slots(1);
        slots.request(session("a"));
        slots.request(session("b"));
        slots.request(session("c"));
        assertTrue(slots.drop("b"));
        assertFalse(slots.isQueued("b"));
        assertEquals(0, slots.ahead("c"));
        slots.release("a");
        assertEquals("c", turns.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aStarterThatThrowsDoesNotLeakTheSlot() throws Exception {
        ContainerSlots slots = new ContainerSlots(1, pool);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        slots.onTurn(s -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            second.countDown();
        });
        slots.request(session("a"));
        slots.request(session("b"));
        slots.request(session("c"));
        slots.release("a");
        assertTrue(second.await(5, TimeUnit.SECONDS), "b's failed turn handed the slot on to c");
        assertEquals(1, slots.inUse());
    }

    @Test
    void manyConcurrentWakesNeverExceedTheCap() throws Exception {
        ContainerSlots slots = new ContainerSlots(3, pool);
        slots.onTurn(s -> { });
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<ContainerSlots.Grant>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "s" + (i % 20); // every session woken twice
            all.add(pool.submit(() -> {
                go.await();
                return slots.request(session(id));
            }));
        }
        go.countDown();
        int granted = 0;
        for (var f : all) {
            if (f.get().kind() == ContainerSlots.Kind.GRANTED) {
                granted++;
            }
        }
        assertEquals(3, granted);
        assertEquals(3, slots.inUse());
        assertEquals(17, slots.queued().size(), "one queue place per session");
    }

    @Test
    void afterCloseFreedSlotsStartNothing() throws Exception {
        ContainerSlots slots = slots(1);
        slots.request(session("a"));
        slots.request(session("b"));
        slots.close();
        slots.release("a");
        assertNull(turns.poll(200, TimeUnit.MILLISECONDS), "shutting down: b is not started");
        assertEquals(0, slots.inUse());
        assertTrue(slots.queued().isEmpty());
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ContainerSlots(0, pool));
    }
}
