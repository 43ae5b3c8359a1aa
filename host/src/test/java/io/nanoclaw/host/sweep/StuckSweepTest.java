package io.nanoclaw.host.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.entities.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stuck check on a real session folder: heartbeat file, claims and Bash timeout from outbound.db. */
class StuckSweepTest {
    @TempDir
    Path home;
    SessionOnDisk disk;
    StuckSweep sweep;
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        disk = new SessionOnDisk(home);
        sweep = new StuckSweep();
        sweep.liveness = disk.liveness();
    }

    @AfterEach
    void tearDown() throws Exception {
        disk.close();
    }

    @Test
    void aWorkingContainerIsOk() throws Exception {
        disk.heartbeatAt(now.minusSeconds(1));
        disk.ack("m1", "processing", now.minusSeconds(120));
        assertFalse(sweep.check(disk.session, now).kill(), "heartbeat after the claim");
    }

    @Test
    void aStaleClaimWithoutAHeartbeatSinceIsKilled() throws Exception {
        disk.heartbeatAt(now.minusSeconds(300));
        disk.ack("m1", "processing", now.minusSeconds(120));
        StuckDecision d = sweep.check(disk.session, now);
        assertTrue(d.kill());
        assertEquals("m1", d.messageId());
    }

    @Test
    void anOldHeartbeatFileHitsTheCeiling() throws Exception {
        disk.heartbeatAt(now.minus(Duration.ofMinutes(31)));
        assertTrue(sweep.check(disk.session, now).kill());
    }

    @Test
    void onlyProcessingAcksAreClaims() throws Exception {
        disk.heartbeatAt(now.minusSeconds(600));
        disk.ack("done", "completed", now.minusSeconds(300));
        disk.ack("bad", "failed", now.minusSeconds(300));
        assertFalse(sweep.check(disk.session, now).kill());
        assertEquals(List.of(), disk.liveness().processingClaims(disk.session));
    }

    @Test
    void aDeclaredBashTimeoutWidensTheLimitsButOtherToolsDoNot() throws Exception {
        disk.heartbeatAt(now.minusSeconds(300));
        disk.ack("m1", "processing", now.minusSeconds(120));
        disk.toolRunning("Bash", Duration.ofMinutes(10).toMillis());
        assertEquals(600_000L, disk.liveness().bashTimeoutMs(disk.session));
        assertFalse(sweep.check(disk.session, now).kill());

        disk.toolRunning("WebFetch", Duration.ofMinutes(10).toMillis());
        assertEquals(0L, disk.liveness().bashTimeoutMs(disk.session));
        assertTrue(sweep.check(disk.session, now).kill());

        disk.toolRunning("Bash", null);
        assertEquals(0L, disk.liveness().bashTimeoutMs(disk.session), "no declared timeout is none");
    }

    @Test
    void aSessionWithNoFilesYetIsOk() {
        Session fresh = new Session("sess-none", "ag-1", "mg-1", null, "active", "running", null);
        assertFalse(Files.exists(disk.kit.folders.outbound("ag-1", "sess-none")));
        assertFalse(sweep.check(fresh, now).kill());
    }
}
