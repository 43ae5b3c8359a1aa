package io.nanoclaw.host.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** host.md 10, delivery #24-28, plus failure reporting, edit/reaction targets and bad rows from an agent. */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class DeliveryBehaviourTest {
    @Inject
    DeliveryService delivery;
    @Inject
    DeliveryAttempts attempts;
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    ChannelRegistry channels;

    RecordingAdapter adapter;
    AgentGroup ag;
    MessagingGroup chat;
    Session session;

    @BeforeEach
    void setUp() {
        adapter = new RecordingAdapter(CoreFixture.unique("dlv"), false);
        channels.register(adapter);
        ag = fx.group("A");
        chat = fx.chat(adapter.channelType(), "home", false, "public");
        fx.wireAll(chat, ag);
        session = resolver.resolve(ag.id(), chat.id(), null, "shared");
    }

    private String reply(String text) throws Exception {
        return fx.containerWrites(ag.id(), session.id(), chat.channelType(), chat.platformId(), null, "chat",
                "{\"text\":\"" + text + "\"}");
    }

    private List<String[]> delivered() throws Exception {
        return fx.inboundRows(ag.id(), session.id(),
                "SELECT message_out_id, status, platform_message_id FROM delivered ORDER BY delivered_at");
    }

    private List<String> notes() throws Exception {
        List<String> out = new ArrayList<>();
        for (String[] r : fx.inboundRows(ag.id(), session.id(),
                "SELECT content FROM messages_in WHERE channel_type = 'agent' ORDER BY seq")) {
            out.add(r[0]);
        }
        return out;
    }

    @Test
    void overlappingPollsDeliverOnce() throws Exception { // #24
        reply("once");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Boolean>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fs.add(pool.submit((Callable<Boolean>) () -> delivery.drain(session)));
        }
        for (Future<Boolean> f : fs) {
            f.get();
        }
        pool.shutdown();
        delivery.drain(session);
        assertEquals(List.of("once"), adapter.textsTo(chat.platformId()));
    }

    @Test
    void noRedeliveryAfterARestartOfTheHostsBookkeeping() throws Exception { // #25
        String id = reply("hello");
        delivery.drain(session);
        delivery.forget(session.id()); // as after a host restart: in-memory state gone, delivered table kept
        delivery.drain(session);
        assertEquals(1, adapter.calls.get());
        assertEquals(List.of(id), delivered().stream().map(r -> r[0]).toList());
        assertEquals("p-1", delivered().get(0)[2], "the platform's id is recorded for edits and reactions");
    }

    @Test
    void threeFailuresMarkTheRowFailedTellTheAgentAndStopCalling() throws Exception { // #26
        adapter.failNext.set(100);
        String id = reply("doomed");
        for (int i = 0; i < 3; i++) {
            db("UPDATE delivery_attempts SET next_attempt_at = NULL");
            delivery.drain(session);
        }
        assertEquals(3, adapter.calls.get());
        assertEquals("failed", delivered().get(0)[1]);
        assertEquals(id, delivered().get(0)[0]);
        assertTrue(notes().get(0).contains("was not delivered") && notes().get(0).contains("502"), notes().get(0));
        delivery.drain(session);
        assertEquals(3, adapter.calls.get(), "no more calls once failed");
    }

    @Test
    void aRateLimitWaitsAsToldWithoutCountingAsAFailedAttempt() throws Exception {
        adapter.failure = () -> new io.nanoclaw.host.channels.RateLimitedException("429", java.time.Duration
                .ofSeconds(30));
        adapter.failNext.set(5);
        String id = reply("later");
        for (int i = 0; i < 5; i++) {
            db("UPDATE delivery_attempts SET next_attempt_at = NULL");
            delivery.drain(session);
        }
        delivery.drain(session); // within the wait: not called
        assertEquals(5, adapter.calls.get());
        db("UPDATE delivery_attempts SET next_attempt_at = NULL");
        delivery.drain(session);
        assertEquals(List.of("later"), adapter.textsTo(chat.platformId()), "five 429s are not three failures");
        assertEquals("delivered", delivered().stream().filter(r -> r[0].equals(id)).findFirst().orElseThrow()[1]);
    }

    @Test
    void aRateLimitSetsTheNextAttemptAfterTheWaitItNamed() throws Exception {
        adapter.failure = () -> new io.nanoclaw.host.channels.RateLimitedException("429", java.time.Duration
                .ofSeconds(30));
        adapter.failNext.set(1);
        String id = reply("later");
        delivery.drain(session);
        delivery.drain(session);
        assertEquals(1, adapter.calls.get(), "no call before the 30 s pass");
        assertTrue(!attempts.due(session.id(), id));
    }

    @Test
    void anOutageIsRetriedLongerThanARefusal() throws Exception {
        adapter.failure = () -> new io.nanoclaw.host.channels.PlatformUnavailableException("502", null);
        adapter.failNext.set(6);
        reply("through");
        for (int i = 0; i < 7; i++) {
            db("UPDATE delivery_attempts SET next_attempt_at = NULL");
            delivery.drain(session);
        }
        assertEquals(List.of("through"), adapter.textsTo(chat.platformId()));
        assertTrue(notes().isEmpty(), "nothing failed for good: " + notes());
    }

    @Test
    void aSuccessStopsRetriesAndAttemptsSurviveARestart() throws Exception { // #27
        adapter.failNext.set(1);
        reply("second time lucky");
        delivery.drain(session);
        assertEquals(1, fx.db.query("SELECT attempts FROM delivery_attempts WHERE session_id = '" + session.id() + "'",
                        r -> r.getInt(1)).get(0),
                "the attempt count lives in the central DB");
        delivery.forget(session.id());
        db("UPDATE delivery_attempts SET next_attempt_at = NULL");
        delivery.drain(session);
        assertEquals(List.of("second time lucky"), adapter.textsTo(chat.platformId()));
        assertTrue(fx.db.query("SELECT 1 FROM delivery_attempts WHERE session_id = '" + session.id() + "'", r -> 1)
                .isEmpty());
        delivery.drain(session);
        assertEquals(2, adapter.calls.get());
    }

    @Test
    void anUnauthorizedDestinationNeverReachesTheAdapter() throws Exception { // #28
        MessagingGroup elsewhere = fx.chat(adapter.channelType(), "not wired", false, "public");
        fx.containerWrites(ag.id(), session.id(), elsewhere.channelType(), elsewhere.platformId(), null, "chat",
                "{\"text\":\"sneaky\"}");
        delivery.drain(session);
        assertEquals(0, adapter.textsTo(elsewhere.platformId()).size());
        assertEquals("failed", delivered().get(0)[1]);
        assertTrue(notes().get(0).contains("may not send"), notes().get(0));
        List<String> toUser = adapter.textsTo(chat.platformId());
        assertEquals(1, toUser.size(), "the user is told in the session's own chat");
        assertTrue(toUser.get(0).contains("could not be delivered"));
    }

    @Test
    void malformedContentAndUnknownDestinationsFailAtOnceWithANote() throws Exception {
        fx.containerWrites(ag.id(), session.id(), chat.channelType(), chat.platformId(), null, "chat", "{not json");
        fx.containerWrites(ag.id(), session.id(), "nowhere", "x", null, "chat", "{\"text\":\"lost\"}");
        reply("still fine");
        delivery.drain(session);
        assertEquals(List.of("failed", "failed", "delivered"), delivered().stream().map(r -> r[1]).toList());
        assertTrue(notes().get(0).contains("not valid JSON"));
        assertTrue(notes().get(1).contains("unknown destination"));
        assertTrue(adapter.textsTo(chat.platformId()).contains("still fine"), "other rows carry on");
    }

    @Test
    void editsAndReactionsResolveThePlatformIdOfInboundAndOutboundTargets() throws Exception {
        adapter.edits = true;
        String first = reply("typo");
        delivery.drain(session);
        fx.containerWrites(ag.id(), session.id(), chat.channelType(), chat.platformId(), null, "chat",
                "{\"operation\":\"edit\",\"messageId\":\"" + first + "\",\"text\":\"fixed\"}");
        fx.containerWrites(ag.id(), session.id(), chat.channelType(), chat.platformId(), null, "chat",
                "{\"operation\":\"reaction\",\"messageId\":\"tg-77:" + ag.id() + "\",\"emoji\":\"thumbs_up\"}");
        delivery.drain(session);
        var ops = adapter.delivered.subList(1, 3);
        assertEquals("p-1", ops.get(0).message().content().path("messageId").asText(), "outbound: delivered id");
        assertEquals("tg-77", ops.get(1).message().content().path("messageId").asText(), "inbound: suffix removed");
    }

    @Test
    void askQuestionRowsArePersistedAsPendingQuestions() throws Exception {
        fx.containerWrites(ag.id(), session.id(), chat.channelType(), chat.platformId(), null, "chat-sdk",
                "{\"type\":\"ask_question\",\"questionId\":\"q-1\",\"title\":\"Pick\",\"question\":\"Which?\","
                        + "\"options\":[{\"label\":\"A\",\"selectedLabel\":\"A\",\"value\":\"a\"}]}");
        delivery.drain(session);
        assertEquals(List.of(session.id() + "|Pick"), fx.db.query(
                "SELECT session_id || '|' || title FROM pending_questions WHERE question_id = 'q-1'",
                r -> r.getString(1)));
    }

    @Test
    void acksSyncIntoInboundAndFailedStaysFailed() throws Exception {
        io.nanoclaw.host.sessions.InboundWriter w = io.quarkus.arc.Arc.container()
                .instance(io.nanoclaw.host.sessions.InboundWriter.class).get();
        w.write(ag.id(), session.id(), io.nanoclaw.host.sessions.InboundRow.chat("in-ok", "chat", chat.platformId(),
                chat.channelType(), null, "{\"text\":\"a\"}", true));
        w.write(ag.id(), session.id(), io.nanoclaw.host.sessions.InboundRow.chat("in-bad", "chat", chat.platformId(),
                chat.channelType(), null, "{\"text\":\"b\"}", true));
        // The container acks one completed and one failed, in its own outbound.db.
        try (var out = io.nanoclaw.protocol.SessionDb.openWriter(sessionDir().resolve("outbound.db"),
                io.nanoclaw.protocol.JournalMode.WAL)) {
            out.createStatement().executeUpdate("INSERT INTO processing_ack VALUES ('in-ok', 'completed', "
                    + "datetime('now')), ('in-bad', 'failed', datetime('now'))");
        }
        delivery.drain(session);
        assertEquals(List.of("in-bad=failed", "in-ok=completed"), fx.inboundRows(ag.id(), session.id(),
                "SELECT id || '=' || status FROM messages_in WHERE id LIKE 'in-%' ORDER BY id")
                .stream().map(r -> r[0]).toList());
    }

    private java.nio.file.Path sessionDir() {
        return io.quarkus.arc.Arc.container().instance(io.nanoclaw.host.sessions.SessionFolders.class).get()
                .sessionDir(ag.id(), session.id());
    }

    private void db(String sql) {
        fx.db.update(sql);
    }

    @Test
    void deliverAfterHoldsARowUntilItsTime() throws Exception {
        String later = fx.containerWrites(ag.id(), session.id(), chat.channelType(), chat.platformId(), null, "chat",
                "{\"text\":\"later\"}");
        try (var out = io.nanoclaw.protocol.SessionDb.openWriter(sessionDir().resolve("outbound.db"),
                io.nanoclaw.protocol.JournalMode.WAL)) {
            out.createStatement().executeUpdate("UPDATE messages_out SET deliver_after = '2999-01-01T00:00:00Z' "
                    + "WHERE id = '" + later + "'");
        }
        reply("now");
        delivery.drain(session);
        assertEquals(List.of("now"), adapter.textsTo(chat.platformId()));
        try (var out = io.nanoclaw.protocol.SessionDb.openWriter(sessionDir().resolve("outbound.db"),
                io.nanoclaw.protocol.JournalMode.WAL)) {
            out.createStatement().executeUpdate("UPDATE messages_out SET deliver_after = '2000-01-01T00:00:00Z' "
                    + "WHERE id = '" + later + "'");
        }
        delivery.drain(session);
        assertEquals(List.of("now", "later"), adapter.textsTo(chat.platformId()));
    }

    @Test
    void anAgentsNclRequestIsAnsweredWithAReplyRowTheAgentWaitsFor() throws Exception {
        fx.containerWrites(ag.id(), session.id(), null, null, null, "system",
                "{\"action\":\"cli_request\",\"requestId\":\"req-1\",\"command\":\"groups-list\",\"args\":{}}");
        delivery.drain(session);
        List<String[]> reply = fx.inboundRows(ag.id(), session.id(),
                "SELECT kind, \"trigger\", content FROM messages_in WHERE id = 'cli-resp-req-1'");
        assertEquals(1, reply.size(), "the reply row the agent's ncl waits for");
        assertEquals("system", reply.get(0)[0]);
        assertEquals("0", reply.get(0)[1]);
        var frame = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.get(0)[2]);
        assertEquals("cli_response", frame.path("type").asText());
        assertEquals("req-1", frame.path("requestId").asText());
        assertEquals(true, frame.at("/frame/ok").asBoolean(false), frame.toString());
        assertTrue(frame.at("/frame/data").toString().contains(ag.id()), "its own group is listed: " + frame);
    }
}
