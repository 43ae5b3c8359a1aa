package io.nanoclaw.runner.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.InboundStore;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.testing.SessionFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent-runner.md 1.4/1.5 and section 7, items 9-12: which rows make the next batch. */
class PendingSelectionTest {
    @TempDir
    Path tmp;
    SessionFixture session;
    InboundStore inbound;
    OutboundStore outbound;

    @BeforeEach
    void open() throws Exception {
        session = new SessionFixture(tmp);
        inbound = InboundStore.open(session.workspace().resolve("inbound.db"));
        outbound = OutboundStore.open(session.workspace().resolve("outbound.db"), JournalMode.WAL);
    }

    @AfterEach
    void close() throws Exception {
        outbound.close();
        inbound.close();
        session.close();
    }

    private PendingSelector selector(int limit) {
        return new PendingSelector(inbound, outbound, limit);
    }

    private static List<String> ids(List<InboundRow> rows) {
        return rows.stream().map(InboundRow::id).toList();
    }

    @Test
    void takesTheNewestNInChronologicalOrder() throws Exception {
        for (int i = 1; i <= 5; i++) {
            session.chat("m" + i, i * 2L, "message " + i);
        }
        assertEquals(List.of("m3", "m4", "m5"), ids(selector(3).next()));
    }

    @Test
    void skipsRowsAlreadyAckedWithAnyStatus() throws Exception {
        for (int i = 1; i <= 4; i++) {
            session.chat("m" + i, i * 2L, "message " + i);
        }
        outbound.ack(List.of("m1"), AckStatus.COMPLETED);
        outbound.ack(List.of("m2"), AckStatus.FAILED);
        outbound.ack(List.of("m3"), AckStatus.PROCESSING);
        assertEquals(List.of("m4"), ids(selector(10).next()));
    }

    @Test
    void skipsSystemRowsAndNonPendingRows() throws Exception {
        session.chat("m1", 2, "hello");
        session.row("s1", 4).kind("system").content("{\"action\":\"x\"}").insert();
        session.row("done", 6).status("completed").insert();
        session.row("t1", 8).kind("task").content("{\"prompt\":\"p\"}").insert();
        assertEquals(List.of("m1", "t1"), ids(selector(10).next()));
    }

    @Test
    void systemRowsDoNotTakePlacesInTheWindow() throws Exception {
        session.chat("m1", 2, "hello");
        session.row("s1", 4).kind("system").insert();
        session.row("s2", 6).kind("system").insert();
        assertEquals(List.of("m1"), ids(selector(1).next()));
    }

    @Test
    void waitsForProcessAfter() throws Exception {
        session.row("later", 2).processAfter("2999-01-01T00:00:00.000Z").insert();
        session.row("due", 4).processAfter("2000-01-01 00:00:00").insert();
        assertEquals(List.of("due"), ids(selector(10).next()));
    }

    @Test
    void onWakeRowsOnlyOnTheFirstPoll() throws Exception {
        session.row("wake", 2).onWake(1).insert();
        session.chat("normal", 4, "hi");
        PendingSelector s = selector(10);
        assertEquals(List.of("wake", "normal"), ids(s.next()));
        assertEquals(List.of("normal"), ids(s.next()));
    }

    @Test
    void triggerZeroAndOneRowsAreBothReturned() throws Exception {
        session.row("ctx", 2).trigger(0).insert();
        session.row("go", 4).insert(); // trigger defaults to 1
        List<InboundRow> batch = selector(10).next();
        assertEquals(List.of("ctx", "go"), ids(batch));
        assertFalse(batch.get(0).trigger());
        assertTrue(batch.get(1).trigger());
    }

    @Test
    void theGateHoldsContextOnlyBatches() throws Exception {
        session.row("ctx1", 2).trigger(0).insert();
        session.row("ctx2", 4).trigger(0).insert();
        PendingSelector s = selector(10);
        assertFalse(TriggerGate.passes(s.next()));
        session.row("go", 6).insert();
        List<InboundRow> batch = s.next();
        assertEquals(List.of("ctx1", "ctx2", "go"), ids(batch), "gated rows stay pending and join the trigger");
        assertTrue(TriggerGate.passes(batch));
    }

    @Test
    void dataVersionMovesWhenTheHostCommits() throws Exception {
        long before = inbound.dataVersion();
        assertEquals(before, inbound.dataVersion());
        session.chat("m1", 2, "hi");
        assertTrue(inbound.dataVersion() != before);
    }
}
