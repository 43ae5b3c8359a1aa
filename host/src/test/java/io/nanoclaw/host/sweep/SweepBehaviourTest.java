package io.nanoclaw.host.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.SessionDb;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep as wired in the host: a message that kept killing its agent ends failed and the user hears of it. */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class SweepBehaviourTest {
    @Inject
    SweepJob sweep;
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    InboundWriter inbound;
    @Inject
    SessionFolders folders;
    @Inject
    ChannelRegistry channels;

    @Test
    void aMessageOutOfTriesIsFailedAndTheUserIsToldOnce() throws Exception {
        RecordingAdapter chatApp = new RecordingAdapter(CoreFixture.unique("sw"), false);
        channels.register(chatApp);
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat(chatApp.channelType(), "home", false, "public");
        fx.wireAll(mg, ag);
        Session s = resolver.resolve(ag.id(), mg.id(), null, "shared");
        inbound.write(ag.id(), s.id(), InboundRow.chat("crashy", "chat", mg.platformId(), mg.channelType(), null,
                "{\"text\":\"do the thing\"}", true));
        try (Connection in = SessionDb.openWriter(folders.inbound(ag.id(), s.id()), JournalMode.WAL)) {
            in.createStatement().executeUpdate("UPDATE messages_in SET tries = 5 WHERE id = 'crashy'");
        }
        // The last container claimed it and died: a stale processing ack, as the runner leaves it.
        try (Connection out = SessionDb.openWriter(folders.outbound(ag.id(), s.id()), JournalMode.WAL)) {
            out.createStatement().executeUpdate("INSERT INTO processing_ack VALUES ('crashy', 'processing', "
                    + "'2026-01-01 00:00:00')");
        }
        sweep.sweep(s);
        sweep.sweep(s);
        assertEquals(List.of("failed"), fx.inboundRows(ag.id(), s.id(),
                "SELECT status FROM messages_in WHERE id = 'crashy'").stream().map(r -> r[0]).toList());
        List<String> told = chatApp.textsTo(mg.platformId());
        assertEquals(1, told.size(), "told once, not at every sweep");
        assertTrue(told.get(0).contains("couldn't process your message"), told.get(0));
    }
}
