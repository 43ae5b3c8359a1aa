package io.nanoclaw.host.typing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.testkit.RecordingAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host.md 6.9: typing refresh, grace, heartbeat freshness, pause after delivery, stop; time driven by hand. */
class TypingIndicatorsTest {
    @TempDir
    Path sessions;
    final Instant t0 = Instant.parse("2025-06-01T12:00:00Z");
    ManualScheduler scheduler;
    final Recording telegram = new Recording("telegram", false);
    final Recording broken = new Recording("broken", true);
    TypingIndicators typing;
    final Session s1 = session("s1");
    final Session s2 = session("s2");

    static Session session(String id) {
        return new Session(id, "ag-1", "mg-1", null, "active", "running", null);
    }

    /** An adapter that records when setTyping was called (seconds since t0), optionally throwing each time. */
    final class Recording extends RecordingAdapter {
        final boolean throwing;
        final List<String> calls = new CopyOnWriteArrayList<>();

        Recording(String type, boolean throwing) {
            super(type, true);
            this.throwing = throwing;
        }

        @Override
        public void setTyping(String platformId, String threadId) {
            calls.add(Duration.between(t0, scheduler.now()).toSeconds() + "s " + platformId + "/" + threadId);
            if (throwing) {
                throw new IllegalStateException("platform says no");
            }
        }
    }

    @BeforeEach
    void setUp() {
        scheduler = new ManualScheduler(t0);
        Map<String, ChannelAdapter> adapters = Map.of("telegram", telegram, "broken", broken);
        typing = new TypingIndicators(t -> Optional.ofNullable(adapters.get(t)),
                (ag, id) -> sessions.resolve(ag).resolve(id).resolve(".heartbeat"), scheduler.clock, scheduler);
    }

    void heartbeatAt(Session s, long secondsAfterT0) throws IOException {
        Path hb = sessions.resolve(s.agentGroupId()).resolve(s.id()).resolve(".heartbeat");
        Files.createDirectories(hb.getParent());
        if (!Files.exists(hb)) {
            Files.createFile(hb);
        }
        Files.setLastModifiedTime(hb, FileTime.from(t0.plusSeconds(secondsAfterT0)));
    }

    void advanceTo(long secondsAfterT0) {
        scheduler.advance(Duration.between(scheduler.now(), t0.plusSeconds(secondsAfterT0)));
    }

    @Test
    void typesAtOnceAndEveryFourSecondsThroughTheGraceEvenWithoutAHeartbeat() {
        typing.start(s1, "telegram", "chat-1", "th-1");
        advanceTo(60);
        assertEquals(List.of("0s chat-1/th-1", "4s chat-1/th-1", "8s chat-1/th-1", "12s chat-1/th-1"),
                telegram.calls, "no heartbeat ever: typing ends with the 15 s grace");
        assertTrue(typing.isTyping("s1"), "only the container's exit stops it");
    }

    @Test
    void afterTheGraceItTypesOnlyWhileTheHeartbeatIsFresh() throws IOException {
        typing.start(s1, "telegram", "chat-1", null);
        heartbeatAt(s1, 14);
        advanceTo(17);
        assertEquals(List.of("0s", "4s", "8s", "12s", "16s"), times(), "16 s: heartbeat 2 s old");
        advanceTo(27);
        assertEquals(5, telegram.calls.size(), "20 s: 6 s old is stale; 24 s: staler");
        heartbeatAt(s1, 27);
        advanceTo(33);
        assertEquals(List.of("0s", "4s", "8s", "12s", "16s", "28s", "32s"), times(), "the heartbeat came back");
    }

    @Test
    void aDeliveryPausesTypingForTenSeconds() throws IOException {
        typing.start(s1, "telegram", "chat-1", null);
        heartbeatAt(s1, 100); // always fresh in this test
        advanceTo(1);
        typing.pauseAfterDelivery("s1"); // paused until 11 s
        advanceTo(40);
        assertEquals(List.of("0s", "12s", "16s", "20s", "24s", "28s", "32s", "36s", "40s"), times());
        typing.pauseAfterDelivery("unknown-session"); // nothing typing there: no-op
    }

    @Test
    void stopEndsTypingAndLeavesNoScheduledWork() {
        assertEquals(0, scheduler.pending(), "nothing typing, nothing scheduled");
        typing.start(s1, "telegram", "chat-1", null);
        typing.start(s2, "telegram", "chat-2", null);
        advanceTo(5);
        assertEquals(2, scheduler.pending());

        typing.stop("s1");
        typing.stop("s2");
        typing.stop("never-started");

        assertEquals(0, scheduler.pending());
        assertFalse(typing.isTyping("s1"));
        int calls = telegram.calls.size();
        advanceTo(30);
        assertEquals(calls, telegram.calls.size());
    }

    @Test
    void startingAgainMovesTheAddressAndRestartsTheGrace() {
        typing.start(s1, "telegram", "chat-1", null);
        advanceTo(10);
        typing.start(s1, "telegram", "chat-1", "th-9");
        advanceTo(40);
        assertEquals(List.of("0s chat-1/null", "4s chat-1/null", "8s chat-1/null", "10s chat-1/th-9",
                "14s chat-1/th-9", "18s chat-1/th-9", "22s chat-1/th-9"), telegram.calls);
        assertEquals(1, scheduler.pending(), "the first task was replaced, not kept");
    }

    @Test
    void anAdapterThatThrowsStopsNeitherItsSessionNorOthers() {
        typing.start(s1, "broken", "chat-1", null);
        typing.start(s2, "telegram", "chat-2", null);
        typing.start(session("s3"), "no-such-channel", "x", null);
        advanceTo(12);
        assertEquals(List.of("0s", "4s", "8s", "12s"), times());
        assertEquals(4, broken.calls.size(), "the failing session keeps trying too");
        assertEquals(3, scheduler.pending());
    }

    @Test
    void theRealSchedulerRunsOnOneDaemonThread() throws Exception {
        ScheduledExecutorService real = TypingIndicators.newScheduler();
        try {
            CompletableFuture<Thread> a = new CompletableFuture<>();
            CompletableFuture<Thread> b = new CompletableFuture<>();
            real.schedule(() -> a.complete(Thread.currentThread()), 0, TimeUnit.MILLISECONDS);
            real.schedule(() -> b.complete(Thread.currentThread()), 1, TimeUnit.MILLISECONDS);
            assertTrue(a.get(5, TimeUnit.SECONDS).isDaemon());
            assertEquals(a.get(), b.get(5, TimeUnit.SECONDS));
        } finally {
            real.shutdownNow();
        }
    }

    private List<String> times() {
        return telegram.calls.stream().map(c -> c.substring(0, c.indexOf(' '))).toList();
    }
}
