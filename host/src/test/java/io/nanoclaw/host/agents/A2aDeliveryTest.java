package io.nanoclaw.host.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.Destinations;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.routing.SessionWaker;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.nanoclaw.host.testkit.RecordingWaker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agent-to-agent delivery (host.md 6.6, host.md 10 #63-65) and its caps (decisions.md). */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class A2aDeliveryTest {
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    Sessions sessions;
    @Inject
    DeliveryService delivery;
    @Inject
    ChannelRegistry channels;
    @Inject
    SessionWaker waker;
    @Inject
    SessionFolders folders;
    @Inject
    InboundWriter inbound;

    RecordingAdapter adapter;
    MessagingGroup chat;
    AgentGroup a;
    AgentGroup b;
    Session sa;

    @BeforeEach
    void setUp() {
        adapter = new RecordingAdapter(CoreFixture.unique("a2a"), false);
        channels.register(adapter);
        a = fx.group("Alice");
        b = fx.group("Bob");
        chat = fx.chat(adapter.channelType(), "home", false, "public");
        fx.wireAll(chat, a);
        sa = resolver.resolve(a.id(), chat.id(), null, "shared");
        fx.db.inTransaction(c -> {
            Destinations.addAgentDestination(c, a.id(), "bob", b.id());
            Destinations.addAgentDestination(c, b.id(), "alice", a.id());
            return null;
        });
    }

    private String send(Session from, AgentGroup to, String text, String inReplyTo) throws Exception {
        String id = fx.containerWrites(from.agentGroupId(), from.id(), "agent", to.id(), null, "chat",
                "{\"text\":\"" + text + "\"}", inReplyTo);
        delivery.drain(from);
        return id;
    }

    /** The newest a2a row in a session: {id, platform_id, source_session_id, trigger, content}. */
    private String[] lastA2a(Session s) throws Exception {
        List<String[]> rows = fx.inboundRows(s.agentGroupId(), s.id(), "SELECT id, platform_id, source_session_id, "
                + "trigger, content FROM messages_in WHERE channel_type = 'agent' AND source_session_id IS NOT NULL "
                + "ORDER BY seq DESC LIMIT 1");
        return rows.isEmpty() ? null : rows.get(0);
    }

    private String status(Session s, String outId) throws Exception {
        List<String[]> r = fx.inboundRows(s.agentGroupId(), s.id(),
                "SELECT status FROM delivered WHERE message_out_id = '" + outId + "'");
        return r.isEmpty() ? null : r.get(0)[0];
    }

    private List<String> notes(Session s) throws Exception {
        return fx.inboundRows(s.agentGroupId(), s.id(), "SELECT content FROM messages_in WHERE channel_type = 'agent' "
                + "AND source_session_id IS NULL ORDER BY seq").stream().map(r -> r[0]).toList();
    }

    private Session onlySessionOf(AgentGroup g) {
        List<Session> all = sessions.activeOf(g.id());
        assertEquals(1, all.size());
        return all.get(0);
    }

    @Test
    void aMessageReachesTheTargetWithItsOriginAndWakesIt() throws Exception {
        String out = send(sa, b, "hi bob", null);
        Session sb = onlySessionOf(b);
        String[] row = lastA2a(sb);
        assertNotNull(row);
        assertEquals(a.id(), row[1]);
        assertEquals(sa.id(), row[2]);
        assertEquals("1", row[3]);
        assertTrue(row[4].contains("hi bob"));
        assertTrue(((RecordingWaker) waker).woken.contains(sb.id()));
        assertEquals("delivered", status(sa, out));
    }

    @Test
    void aReplyWithInReplyToGoesBackToTheOriginatingSession() throws Exception {
        MessagingGroup other = fx.chat(adapter.channelType(), "other", false, "public");
        fx.wireAll(other, a);
        send(sa, b, "question", null);
        Session sb = onlySessionOf(b);
        Session sa2 = resolver.resolve(a.id(), other.id(), null, "shared");
        sessions.touch(sa2.id()); // the newest session of A is not the one that asked
        send(sb, a, "answer", lastA2a(sb)[0]);
        assertEquals(sb.id(), lastA2a(sa)[2]);
        assertTrue(lastA2a(sa)[4].contains("answer"));
        assertEquals(null, lastA2a(sa2));
    }

    /** A second, newer session of B (another chat wired to B), so "newest session" and affinity differ. */
    private Session newerSessionOf(AgentGroup g, String chatName) {
        MessagingGroup other = fx.chat(adapter.channelType(), chatName, false, "public");
        fx.wireAll(other, g);
        Session s = resolver.resolve(g.id(), other.id(), null, "shared");
        sessions.touch(s.id());
        return s;
    }

    @Test
    void withoutInReplyToAMessageGoesToTheSessionThatPeerLastWroteFrom() throws Exception {
        send(sa, b, "first", null);
        Session sb = onlySessionOf(b);
        send(sb, a, "reply", lastA2a(sb)[0]); // sa now has an a2a row from sb
        Session sb2 = newerSessionOf(b, "b-other");
        send(sa, b, "again", null);
        assertTrue(lastA2a(sb)[4].contains("again"), "peer affinity: the session B wrote from");
        assertEquals(null, lastA2a(sb2), "not B's newest session");
    }

    @Test
    void aClosedOriginFallsBackToTheTargetsNewestActiveSession() throws Exception {
        send(sa, b, "question", null);
        Session sb = onlySessionOf(b);
        String asked = lastA2a(sb)[0];
        Session sa2 = newerSessionOf(a, "a-other");
        fx.db.update("UPDATE sessions SET status = 'closed' WHERE id = ?", sa.id());
        send(sb, a, "late answer", asked);
        assertTrue(lastA2a(sa2)[4].contains("late answer"), "the origin is closed: A's newest active session");
    }

    @Test
    void aReferenceToANonAgentRowOrAnotherGroupsSessionIsNotFollowed() throws Exception {
        AgentGroup c = fx.group("Carol");
        fx.db.inTransaction(conn -> {
            Destinations.addAgentDestination(conn, c.id(), "alice", a.id());
            Destinations.addAgentDestination(conn, a.id(), "carol", c.id());
            return null;
        });
        MessagingGroup cChat = fx.chat(adapter.channelType(), "carol-home", false, "public");
        fx.wireAll(cChat, c);
        Session sc = resolver.resolve(c.id(), cChat.id(), null, "shared");
        send(sc, a, "from carol", null); // an a2a row in A whose source session belongs to C
        Session fromCarol = sessions.activeOf(a.id()).stream()
                .filter(x -> lastA2aOrNull(x) != null && lastA2aOrNull(x)[4].contains("from carol")).findFirst()
                .orElseThrow();
        String carolsRow = lastA2a(fromCarol)[0];
        send(fromCarol, b, "to bob, citing carol", carolsRow); // names a row from C: B's session is not C's
        Session sb = onlySessionOf(b);
        assertTrue(lastA2a(sb)[4].contains("citing carol"), "delivered to B's own session");

        String chatRow = "chat-" + System.nanoTime();
        inbound.write(a.id(), sa.id(), io.nanoclaw.host.sessions.InboundRow.chat(chatRow, "chat", chat.platformId(),
                adapter.channelType(), null, "{\"text\":\"hi\"}", false));
        String out = send(sa, b, "citing a chat row", chatRow);
        assertEquals("delivered", status(sa, out));
        assertTrue(lastA2a(sb)[4].contains("citing a chat row"), "a non-a2a reference: B's newest session");
    }

    private String[] lastA2aOrNull(Session s) {
        try {
            return lastA2a(s);
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void aFileIsHandedOverIntoTheTargetsInbox() throws Exception {
        String out = fx.containerWrites(a.id(), sa.id(), "agent", b.id(), null, "chat",
                "{\"text\":\"see file\",\"files\":[\"notes.txt\"]}");
        Path dir = folders.sessionDir(a.id(), sa.id()).resolve("outbox").resolve(out);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "the notes");
        delivery.drain(sa);
        assertEquals("delivered", status(sa, out));
        Session sb = onlySessionOf(b);
        String[] row = lastA2a(sb);
        assertTrue(row[4].contains("\"localPath\":\"inbox/" + row[0] + "/notes.txt\""), row[4]);
        assertTrue(!row[4].contains("\"files\""), row[4]);
        assertEquals("the notes", Files.readString(folders.sessionDir(b.id(), sb.id()).resolve("inbox")
                .resolve(row[0]).resolve("notes.txt")));
    }

    @Test
    void aMessageToAGroupWithoutADestinationIsRefused() throws Exception {
        AgentGroup stranger = fx.group("Stranger");
        String out = send(sa, stranger, "hello?", null);
        assertEquals("failed", status(sa, out));
        assertTrue(sessions.activeOf(stranger.id()).isEmpty());
        String note = notes(sa).get(notes(sa).size() - 1);
        assertTrue(note.contains("no destination for agent Stranger"), note);
        String self = send(sa, a, "note to self", null);
        assertEquals("delivered", status(sa, self), "messaging yourself needs no destination");
    }

    @Test
    void twoAgentsAnsweringEachOtherAreStoppedByTheCapUntilAPersonSpeaks() throws Exception {
        String lastOut = send(sa, b, "ping 0", null);
        Session sb = onlySessionOf(b);
        for (int hop = 2; hop <= 20; hop++) {
            Session from = hop % 2 == 0 ? sb : sa;
            lastOut = send(from, hop % 2 == 0 ? a : b, "hop " + hop, lastA2a(from)[0]);
            assertEquals("delivered", status(from, lastOut), "hop " + hop);
        }
        String refused = send(sa, b, "hop 21", lastA2a(sa)[0]);
        assertEquals("failed", status(sa, refused));
        String note = notes(sa).get(notes(sa).size() - 1);
        assertTrue(note.contains("Message to bob not delivered: agent-to-agent limit reached")
                && note.contains("wait for the user or ask them"), note);
        send(sa, b, "hop 22", null);
        long told = adapter.textsTo(chat.platformId()).stream().filter(t -> t.contains("agent-to-agent limit"))
                .count();
        assertEquals(1, told, "the user is told once");

        // A person speaks in A's chat: a new chain may start.
        inbound.write(a.id(), sa.id(), InboundRow.chat(CoreFixture.unique("human"), "chat", chat.platformId(),
                chat.channelType(), null, "{\"text\":\"go on\"}", true));
        String after = send(sa, b, "hop 23", null);
        assertEquals("failed", status(sa, after), "still over A2A_MAX_PER_MINUTE for A to B in this minute");
    }
}
