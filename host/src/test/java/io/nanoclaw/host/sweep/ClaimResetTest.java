package io.nanoclaw.host.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.protocol.Timestamps;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host.md 1.4 step 4 and 10 #39-#40, adapted: the host resets inbound rows and never touches outbound.db. */
class ClaimResetTest {
    @TempDir
    Path home;
    SessionOnDisk disk;
    final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Not on a whole second, to show process_after is still written on one. */
    final Instant now = Instant.parse("2025-06-01T12:00:00.600Z");

    @BeforeEach
    void setUp() {
        disk = new SessionOnDisk(home);
    }

    @AfterEach
    void tearDown() throws Exception {
        disk.close();
    }

    /** A fresh instance each time, as after a host restart: the count-once check must not rely on memory. */
    ClaimReset reset() {
        ClaimReset r = new ClaimReset();
        r.dbs = disk.kit.dbs;
        r.liveness = disk.liveness();
        r.containers = new ContainerRunner() {
            @Override
            public boolean isRunning(String sessionId) {
                return running.contains(sessionId);
            }
        };
        return r;
    }

    @Test
    void onlyProcessingClaimsAreResetAndCounted() throws Exception {
        for (String id : List.of("m1", "m2", "m3")) {
            disk.inbound(id, "pending", 0, null);
        }
        disk.ack("m1", "processing", now.minusSeconds(90));
        disk.ack("m2", "completed", now.minusSeconds(90));
        disk.ack("m3", "failed", now.minusSeconds(90));

        ClaimReset.Result r = reset().resetIfStopped(disk.session, now);

        assertEquals(1, r.count());
        assertEquals(1, r.retried());
        assertEquals(List.of(), r.failed());
        assertEquals(new SessionOnDisk.Row("pending", 1, "2025-06-01T12:00:05Z"), disk.row("m1"));
        assertEquals(new SessionOnDisk.Row("pending", 0, null), disk.row("m2"));
        assertEquals(new SessionOnDisk.Row("pending", 0, null), disk.row("m3"));
    }

    @Test
    void nothingIsResetWhileTheContainerRuns() throws Exception {
        disk.inbound("m1", "pending", 0, null);
        disk.ack("m1", "processing", now.minusSeconds(90));
        running.add(disk.session.id());

        assertEquals(ClaimReset.Result.NONE, reset().resetIfStopped(disk.session, now));
        assertEquals(new SessionOnDisk.Row("pending", 0, null), disk.row("m1"));
    }

    @Test
    void theSkipPathLeavesTheRowAndOutboundDbAlone() throws Exception {
        String later = "2025-06-01T12:00:30Z";
        disk.inbound("waiting", "pending", 2, later);
        disk.inbound("due", "pending", 0, null);
        disk.ack("waiting", "processing", now.minusSeconds(90));
        disk.ack("due", "processing", now.minusSeconds(90));
        List<String> acksBefore = disk.acks();

        ClaimReset.Result r = reset().resetIfStopped(disk.session, now);

        assertEquals(1, r.count(), "only the due row");
        assertEquals(new SessionOnDisk.Row("pending", 2, later), disk.row("waiting"));
        assertEquals(acksBefore, disk.acks(), "the host never writes outbound.db, on either path");
        // The next container's crash recovery releases the claims; the reset row is selectable once due.
        assertEquals(2, disk.runnerReleasesLeftoverClaims());
        assertFalse(disk.selectableAt("due", now.plusSeconds(4)));
        assertTrue(disk.selectableAt("due", now.plusSeconds(5)));
    }

    @Test
    void aStaleClaimIsCountedOnceAcrossSweeps() throws Exception {
        disk.inbound("m1", "pending", 0, null);
        disk.ack("m1", "processing", now.minusSeconds(90));

        assertEquals(1, reset().resetIfStopped(disk.session, now).count());
        // The claim stays in outbound.db until a runner starts: later sweeps, before and after the back-off,
        // and after a host restart (fresh instance), must not count it again.
        assertEquals(0, reset().resetIfStopped(disk.session, now.plusSeconds(2)).count());
        assertEquals(0, reset().resetIfStopped(disk.session, now.plusSeconds(60)).count());
        assertEquals(0, reset().resetIfStopped(disk.session, now.plusSeconds(600)).count());
        assertEquals(1, disk.row("m1").tries());
    }

    @Test
    void eachNewClaimBacksOffDoublingAndTheFifthRetriedClaimFails() throws Exception {
        disk.inbound("m1", "pending", 0, null);
        Instant t = now;
        long[] backoffs = {5, 10, 20, 40, 80};
        for (int i = 0; i < backoffs.length; i++) {
            // a container picks the row up as soon as it is due and dies holding it
            Instant due = Timestamps.parseUtc(disk.row("m1").processAfter());
            Instant claimed = due == null ? t.minusSeconds(90) : due;
            assertTrue(due == null || disk.selectableAt("m1", claimed));
            disk.ack("m1", "processing", claimed);
            t = claimed.plusSeconds(120);

            ClaimReset.Result r = reset().resetIfStopped(disk.session, t);

            assertEquals(1, r.retried(), "try " + (i + 1));
            SessionOnDisk.Row row = disk.row("m1");
            assertEquals(i + 1, row.tries());
            assertEquals(Duration.ofSeconds(backoffs[i]),
                    Duration.between(t.truncatedTo(ChronoUnit.SECONDS),
                            Timestamps.parseUtc(row.processAfter())));
        }
        Instant claimed = Timestamps.parseUtc(disk.row("m1").processAfter());
        disk.ack("m1", "processing", claimed);

        ClaimReset.Result r = reset().resetIfStopped(disk.session, claimed.plusSeconds(120));

        assertEquals(0, r.retried());
        assertEquals(1, r.failed().size());
        ClaimReset.FailedMessage f = r.failed().get(0);
        assertEquals("m1", f.messageId());
        assertEquals("sess-1", f.sessionId());
        assertEquals("ag-1", f.agentGroupId());
        assertEquals("telegram", f.channelType());
        assertEquals("chat-42", f.platformId());
        assertEquals("th-7", f.threadId());
        assertEquals("{\"text\":\"hello m1\"}", f.content());
        assertEquals(5, f.tries());
        assertEquals("failed", disk.row("m1").status());
        assertFalse(disk.selectableAt("m1", claimed.plusSeconds(3600)));
        assertEquals(0, reset().resetIfStopped(disk.session, claimed.plusSeconds(180)).count(),
                "a failed row is reported once");
    }

    @Test
    void rowsAlreadySettledOrMissingAndUnreadableClaimsAreLeftAlone() throws Exception {
        disk.inbound("done", "completed", 0, null);
        disk.ack("done", "processing", now.minusSeconds(90));
        disk.ack("ghost", "processing", now.minusSeconds(90));

        assertEquals(0, reset().resetIfStopped(disk.session, now).count());
        assertEquals(new SessionOnDisk.Row("completed", 0, null), disk.row("done"));
        assertNull(disk.row("ghost"));
    }
}
