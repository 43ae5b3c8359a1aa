package io.nanoclaw.runner.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.testing.SessionFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationHistoryTest {
    @TempDir
    Path tmp;
    SessionFixture session;
    OutboundStore outbound;
    ContinuationSlot slot;

    @BeforeEach
    void open() throws Exception {
        session = new SessionFixture(tmp);
        outbound = OutboundStore.open(session.workspace().resolve("outbound.db"), JournalMode.WAL);
        slot = new ContinuationSlot(outbound, "Anthropic");
    }

    @AfterEach
    void close() throws Exception {
        outbound.close();
        session.close();
    }

    @Test
    void aNewConversationIsPersistedAtOnce() throws Exception {
        ConversationHistory h = ConversationHistory.resume(session.stateDir(), slot);
        assertEquals("continuation:anthropic", slot.key());
        assertEquals(h.id(), session.sessionState("continuation:anthropic").orElseThrow());
        assertEquals(0, h.size());
    }

    @Test
    void resumesTheFileTheContinuationNames() throws Exception {
        ConversationHistory first = ConversationHistory.resume(session.stateDir(), slot);
        first.record(Turns.user("q1"), Turns.assistant("a1"));
        ConversationHistory again = ConversationHistory.resume(session.stateDir(), slot);
        assertEquals(first.id(), again.id());
        assertEquals(3, again.turnsWith(Turns.user("q2")).size());
    }

    @Test
    void aTornLastLineIsDropped() throws Exception {
        ConversationHistory first = ConversationHistory.resume(session.stateDir(), slot);
        first.record(Turns.user("q1"), Turns.assistant("a1"));
        Path file = session.stateDir().resolve(first.id() + ".jsonl");
        Files.writeString(file, Files.readString(file) + Turns.user("q2") + "\n{\"role\":\"assis",
                java.nio.charset.StandardCharsets.UTF_8);
        ConversationHistory again = ConversationHistory.resume(session.stateDir(), slot);
        assertEquals(first.id(), again.id());
        assertEquals(2, again.size(), "the unanswered user turn goes too");
    }

    @Test
    void aCorruptOrMissingFileStartsFreshAndOverwritesTheContinuation() throws Exception {
        ConversationHistory first = ConversationHistory.resume(session.stateDir(), slot);
        first.record(Turns.user("q1"), Turns.assistant("a1"));
        Path file = session.stateDir().resolve(first.id() + ".jsonl");
        Files.writeString(file, "garbage\n" + Turns.user("q") + "\n");
        ConversationHistory fresh = ConversationHistory.resume(session.stateDir(), slot);
        assertNotEquals(first.id(), fresh.id());
        assertEquals(0, fresh.size());
        assertEquals(fresh.id(), slot.get().orElseThrow());

        Files.delete(file);
        slot.set(first.id());
        assertNotEquals(first.id(), ConversationHistory.resume(session.stateDir(), slot).id());
    }

    @Test
    void aForeignContinuationIsNotUsedAsAFileName() throws Exception {
        slot.set("../../etc/passwd");
        ConversationHistory h = ConversationHistory.resume(session.stateDir(), slot);
        assertNotEquals("../../etc/passwd", h.id());
    }

    @Test
    void rolesMustAlternate() throws Exception {
        Path f = tmp.resolve("x.jsonl");
        Files.writeString(f, Turns.user("a") + "\n" + Turns.user("b") + "\n");
        assertThrows(ConversationFile.CorruptHistoryException.class, () -> ConversationFile.load(f));
    }
}
