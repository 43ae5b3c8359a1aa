package io.nanoclaw.runner.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.testing.SessionFixture;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent-runner.md 7, items 33 and 34: one slot per provider, and the original's legacy row. */
class ContinuationSlotTest {
    @TempDir
    Path tmp;
    SessionFixture session;
    OutboundStore out;

    @BeforeEach
    void open() throws Exception {
        session = new SessionFixture(tmp);
        out = OutboundStore.open(session.workspace().resolve("outbound.db"), JournalMode.WAL);
    }

    @AfterEach
    void close() throws Exception {
        out.close();
        session.close();
    }

    @Test
    void keysAreCaseInsensitiveAndIsolatedPerProvider() throws Exception {
        new ContinuationSlot(out, "Anthropic").set("a-1");
        new ContinuationSlot(out, "openai").set("o-1");
        assertEquals(Optional.of("a-1"), new ContinuationSlot(out, "ANTHROPIC").get());
        new ContinuationSlot(out, "openai").clear();
        assertEquals(Optional.empty(), new ContinuationSlot(out, "openai").get(), "cleared");
        assertEquals(Optional.of("a-1"), new ContinuationSlot(out, "anthropic").get(), "the other slot stays");
        assertEquals(Optional.empty(), new ContinuationSlot(out, "unknown").get());
    }

    @Test
    void theLegacyValueIsAdoptedWhenTheSlotIsEmptyAndAlwaysDeleted() throws Exception {
        out.writeState("sdk_session_id", "legacy-1");
        ContinuationSlot slot = new ContinuationSlot(out, "anthropic");
        assertEquals(Optional.of("legacy-1"), slot.migrateLegacy());
        assertEquals(Optional.of("legacy-1"), slot.get());
        assertTrue(out.readState("sdk_session_id").isEmpty(), "legacy row deleted");
        assertEquals(Optional.of("legacy-1"), slot.migrateLegacy(), "running it again is harmless");
    }

    @Test
    void anExistingSlotWinsAndWithoutALegacyRowTheCurrentValueStays() throws Exception {
        ContinuationSlot slot = new ContinuationSlot(out, "anthropic");
        slot.set("current");
        out.writeState("sdk_session_id", "legacy-1");
        assertEquals(Optional.of("current"), slot.migrateLegacy());
        assertTrue(out.readState("sdk_session_id").isEmpty());
        assertEquals(Optional.of("current"), slot.migrateLegacy());
    }
}
