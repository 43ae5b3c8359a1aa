package io.nanoclaw.runner.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.runner.config.ConfigLoader;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.testing.FakeAnthropicServer;
import io.nanoclaw.runner.testing.FakeAnthropicServer.Recorded;
import io.nanoclaw.runner.testing.RequestAssertions;
import io.nanoclaw.runner.testing.RunnerHarness;
import io.nanoclaw.runner.testing.SessionFixture;
import static io.nanoclaw.runner.testing.RunnerHarness.to;
import io.nanoclaw.runner.testing.SessionFixture.OutRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real poll loop in its own thread, against real session DB files and a fake Messages API on loopback:
 * rows go in the way the host writes them, replies and acks come out the way the host reads them.
 */
class PollLoopEndToEndTest {
    @TempDir
    Path tmp;
    SessionFixture session;
    FakeAnthropicServer api;
    RunnerHarness runner;

    final RunnerConfig config = ConfigLoader.fromJson(Json.MAPPER.createObjectNode()
            .put("model", "sonnet").put("assistantName", "Andy").put("maxTokens", 1000));

    @BeforeEach
    void setUp() throws Exception {
        session = new SessionFixture(tmp);
        session.addDestination("cli", "channel", "cli", "local", null);
        api = new FakeAnthropicServer();
        runner = new RunnerHarness(session, api, config);
    }

    @AfterEach
    void tearDown() throws Exception {
        runner.close();
        api.close();
        session.close();
    }

    private void startRunner() throws Exception {
        runner.start();
    }

    private void stopRunner() throws Exception {
        runner.stop();
    }

    @Test
    void answersAChatKeepsHistoryAndContinuesItAfterARestart() throws Exception {
        api.enqueue(FakeAnthropicServer.text("<message to=\"cli\">Hello ", "Alice!</message>"));
        startRunner();
        session.chat("m1", 2, "Hi there");

        OutRow reply = session.awaitReplies(1).get(0);
        assertEquals("Hello Alice!", reply.text());
        assertEquals(3, reply.seq(), "odd seq above the inbound maximum");
        assertEquals("chat", reply.kind());
        assertEquals("local", reply.platformId());
        assertEquals("cli", reply.channelType());
        assertNull(reply.threadId());
        assertEquals("m1", reply.inReplyTo());
        assertTrue(reply.id().matches("msg-\\d{13}-[0-9a-z]{6}"), reply.id());
        assertTrue(reply.timestamp().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), reply.timestamp());
        awaitAck("m1", "completed");
        assertTrue(session.ackStatusChanged("m1").orElseThrow().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
        assertTrue(Files.exists(session.workspace().resolve(".heartbeat")), "heartbeat touched");

        Recorded first = api.requests().get(0);
        RequestAssertions.assertWellFormed(first);
        assertEquals("claude-sonnet-4-5", first.body().get("model").asText());
        assertEquals(1000, first.body().get("max_tokens").asInt());
        assertTrue(RequestAssertions.system(first.body()).contains("Andy"));
        assertEquals(1, first.messages().size());
        String prompt = RequestAssertions.text(first.messages().get(0));
        assertTrue(prompt.startsWith("<context timezone=\"America/New_York\" />\n<message id=\"2\" from=\"cli\" "
                + "sender=\"Alice\" time=\""), prompt);
        assertTrue(prompt.endsWith("\">Hi there</message>"), prompt);

        // the second message carries the first exchange as history; internal notes never reach the chat
        api.enqueue(FakeAnthropicServer.text("<internal>she asks again</internal>", to("cli", "Fine, thanks.")));
        session.chat("m2", 4, "How are you?");
        assertEquals("Fine, thanks.", session.awaitReplies(2).get(1).text());
        assertEquals(5, session.replies().get(1).seq());
        JsonNode second = api.requests().get(1).messages();
        RequestAssertions.assertWellFormed(api.requests().get(1));
        assertEquals(3, second.size());
        assertEquals(prompt, RequestAssertions.text(second.get(0)));
        assertEquals(to("cli", "Hello Alice!"), RequestAssertions.text(second.get(1)));
        assertTrue(RequestAssertions.text(second.get(2)).contains(">How are you?</message>"));
        String continuation = session.sessionState("continuation:anthropic").orElseThrow();

        // a new container on the same session folder continues the same conversation
        stopRunner();
        api.enqueue(FakeAnthropicServer.text(to("cli", "Still here.")));
        startRunner();
        session.chat("m3", 6, "Still there?");
        assertEquals("Still here.", session.awaitReplies(3).get(2).text());
        JsonNode third = api.requests().get(2).messages();
        RequestAssertions.assertWellFormed(api.requests().get(2));
        assertEquals(5, third.size());
        assertEquals("<internal>she asks again</internal>" + to("cli", "Fine, thanks."), RequestAssertions.text(third.get(3)));
        assertEquals(continuation, session.sessionState("continuation:anthropic").orElseThrow());
    }

    @Test
    void aBatchOfHostNotesIsAnsweredInTheSessionsChat() throws Exception {
        try (var st = session.host().createStatement()) {
            st.executeUpdate("INSERT INTO session_routing(id, channel_type, platform_id, thread_id) "
                    + "VALUES (1, 'cli', 'local', NULL)");
        }
        api.enqueue(FakeAnthropicServer.text(to("cli", "Sorry, that reminder could not be set.")));
        startRunner();
        session.row("note-1", 2).routing("ag-self", "agent", null)
                .content("{\"text\":\"schedule_task failed: invalid cron\",\"sender\":\"system\"}").insert();
        var reply = session.awaitReplies(1).get(0);
        assertEquals("cli", reply.channelType(), "not back to the agent channel");
        assertEquals("local", reply.platformId());
        assertEquals("note-1", reply.inReplyTo());
    }

    @Test
    void aServerErrorIsRetriedAndThenAnswered() throws Exception {
        api.enqueue(FakeAnthropicServer.error(500, "api_error", "Internal server error"));
        api.enqueue(FakeAnthropicServer.text(to("cli", "Recovered.")));
        startRunner();
        session.chat("m1", 2, "Hello?");
        assertEquals("Recovered.", session.awaitReplies(1).get(0).text());
        awaitAck("m1", "completed");
        assertEquals(2, api.requests().size());
        assertEquals(Duration.ofSeconds(1), runner.sleeps.stream().reduce(Duration.ZERO, Duration::plus));
        assertEquals(1, session.replies().size(), "no error row for a retried failure");
    }

    @Test
    void aClientErrorIsReportedAndTheRowsStayFailed() throws Exception {
        api.enqueue(FakeAnthropicServer.error(400, "invalid_request_error", "max_tokens: must be at most 64000"));
        startRunner();
        session.chat("m1", 2, "Hello?");
        OutRow error = session.awaitReplies(1).get(0);
        assertEquals("Error: API error 400 invalid_request_error: max_tokens: must be at most 64000", error.text());
        assertEquals("m1", error.inReplyTo());
        assertEquals("local", error.platformId());
        awaitAck("m1", "failed");
        assertEquals(1, api.requests().size());

        // the failed turn left nothing behind: the next request starts with a single user turn
        api.enqueue(FakeAnthropicServer.text(to("cli", "Now it works.")));
        session.chat("m2", 4, "Again?");
        assertEquals("Now it works.", session.awaitReplies(2).get(1).text());
        assertEquals(1, api.requests().get(1).messages().size());
        RequestAssertions.assertWellFormed(api.requests().get(1));
        assertEquals("failed", session.ackStatus("m1").orElseThrow(), "failed stays failed");
    }

    @Test
    void clearResetsTheConversation() throws Exception {
        api.enqueue(FakeAnthropicServer.text(to("cli", "First answer.")));
        startRunner();
        session.chat("m1", 2, "Remember this");
        session.awaitReplies(1);
        String before = session.sessionState("continuation:anthropic").orElseThrow();

        session.chat("m2", 4, "  /CLEAR  ");
        OutRow cleared = session.awaitReplies(2).get(1);
        assertEquals("Session cleared.", cleared.text());
        assertEquals("m2", cleared.inReplyTo());
        awaitAck("m2", "completed");
        assertEquals(1, api.requests().size(), "the model is not asked");
        assertNotEquals(before, session.sessionState("continuation:anthropic").orElseThrow());

        api.enqueue(FakeAnthropicServer.text(to("cli", "Fresh start.")));
        session.chat("m3", 6, "Hello again");
        assertEquals("Fresh start.", session.awaitReplies(3).get(2).text());
        assertEquals(1, api.requests().get(1).messages().size(), "no history after /clear");
    }

    @Test
    void contextOnlyRowsWaitForATriggerAndGoTogether() throws Exception {
        api.enqueue(FakeAnthropicServer.text(to("cli", "Both seen.")));
        startRunner();
        session.row("ctx", 2).trigger(0).content("{\"text\":\"background\",\"sender\":\"Bob\"}").insert();
        Thread.sleep(300);
        assertEquals(0, api.requests().size(), "trigger=0 alone does not wake the agent");
        assertTrue(session.ackStatus("ctx").isEmpty(), "and stays unacked");
        session.chat("go", 4, "@Andy what do you think?");
        assertEquals("Both seen.", session.awaitReplies(1).get(0).text());
        String prompt = RequestAssertions.text(api.requests().get(0).messages().get(0));
        assertTrue(prompt.contains("<messages>\n<message id=\"2\"") && prompt.contains("<message id=\"4\""), prompt);
        assertEquals("go", session.replies().get(0).inReplyTo(), "the newest message from that chat is answered");
        awaitAck("ctx", "completed");
        awaitAck("go", "completed");
    }

    @Test
    void rowsLeftInProcessingByACrashAreRunAgain() throws Exception {
        session.chat("m1", 2, "Before the crash");
        try (OutboundStore out = OutboundStore.open(session.workspace().resolve("outbound.db"), JournalMode.WAL)) {
            out.ack(List.of("m1"), AckStatus.PROCESSING);
        }
        api.enqueue(FakeAnthropicServer.text(to("cli", "After the restart.")));
        startRunner();
        assertEquals("After the restart.", session.awaitReplies(1).get(0).text());
        awaitAck("m1", "completed");
    }

    @Test
    void anEmptyAnswerWritesNoRowButCompletes() throws Exception {
        api.enqueue(FakeAnthropicServer.text("<internal>nothing to say</internal>"));
        startRunner();
        session.chat("m1", 2, "psst");
        awaitAck("m1", "completed");
        assertEquals(0, session.replies().size());
    }

    private void awaitAck(String id, String status) throws Exception {
        runner.awaitAck(id, status);
    }
}
