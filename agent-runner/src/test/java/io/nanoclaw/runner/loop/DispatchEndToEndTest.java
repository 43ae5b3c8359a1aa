package io.nanoclaw.runner.loop;

import static io.nanoclaw.runner.testing.RunnerHarness.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.protocol.ChatContent;
import io.nanoclaw.runner.config.ConfigLoader;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.testing.FakeAnthropicServer;
import io.nanoclaw.runner.testing.RequestAssertions;
import io.nanoclaw.runner.testing.RunnerHarness;
import io.nanoclaw.runner.testing.SessionFixture;
import io.nanoclaw.runner.testing.SessionFixture.OutRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Final-text dispatch, the nudge, follow-ups, pre-task scripts and compaction through the real poll loop
 * (agent-runner.md 7, items 17-27, and 1.5-1.6, 1.9), against real session DBs and a fake Messages API.
 */
class DispatchEndToEndTest {
    @TempDir
    Path tmp;
    SessionFixture session;
    FakeAnthropicServer api;
    RunnerHarness runner;

    @BeforeEach
    void setUp() throws Exception {
        session = new SessionFixture(tmp);
        session.addDestination("discord-main", "channel", "discord", "chan-1", null);
        session.addDestination("slack-ops", "channel", "slack", "C99", null);
        api = new FakeAnthropicServer();
        runner = new RunnerHarness(session, api, ConfigLoader.fromJson(Json.MAPPER.createObjectNode()
                .put("model", "sonnet").put("assistantName", "Andy")));
    }

    @AfterEach
    void tearDown() throws Exception {
        runner.close();
        api.close();
        session.close();
    }

    private void discord(String id, long seq, String thread, String text) throws Exception {
        session.row(id, seq).routing("chan-1", "discord", thread)
                .content(new ChatContent(text, "Bob", "discord:bob").toJsonString(Json.MAPPER)).insert();
    }

    private String lastUserText(int request) {
        JsonNode messages = api.requests().get(request).messages();
        return RequestAssertions.text(messages.get(messages.size() - 1));
    }

    @Test
    void oneMessageGivesOneRowToItsDestination() throws Exception {
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "42")));
        runner.start();
        discord("m1", 2, null, "what is 6*7?");
        OutRow r = session.awaitReplies(1).get(0);
        assertEquals("42", r.text());
        assertEquals("chan-1", r.platformId());
        assertEquals("discord", r.channelType());
        assertEquals("m1", r.inReplyTo());
        runner.awaitAck("m1", "completed");
        String system = RequestAssertions.system(api.requests().get(0).body());
        assertTrue(system.contains("`discord-main`") && system.contains("`slack-ops`"), "addendum lists both");
        assertTrue(system.contains("# You are Andy"), system);
    }

    @Test
    void twoMessagesAreOneBatchWithOneReply() throws Exception {
        discord("m1", 2, null, "first");
        discord("m2", 4, null, "second");
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "both")));
        runner.start();
        assertEquals("both", session.awaitReplies(1).get(0).text());
        runner.awaitAck("m1", "completed");
        runner.awaitAck("m2", "completed");
        assertEquals(1, api.requests().size());
        assertTrue(lastUserText(0).contains("<messages>"));
    }

    @Test
    void threadsAndRepliesResolvePerDestination() throws Exception {
        discord("m-discord", 2, "discord-thread-1", "from discord");
        session.row("m-slack", 4).routing("C99", "slack", "slack-thread-99").content("{\"text\":\"from slack\"}")
                .insert();
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "to d") + "\n" + to("slack-ops", "to s")));
        runner.start();
        List<OutRow> rows = session.awaitReplies(2);
        assertEquals("discord-thread-1", rows.get(0).threadId());
        assertEquals("m-discord", rows.get(0).inReplyTo());
        assertEquals("slack-thread-99", rows.get(1).threadId());
        assertEquals("m-slack", rows.get(1).inReplyTo());
        assertEquals("slack", rows.get(1).channelType());
    }

    @Test
    void bareTextIsNotSentAndTheAgentIsNudgedOnce() throws Exception {
        api.enqueue(FakeAnthropicServer.text("I forgot the wrapper."));
        api.enqueue(FakeAnthropicServer.text("Still bare."));
        runner.start();
        discord("m1", 2, null, "hi");
        runner.awaitAck("m1", "completed");
        assertEquals(0, session.replies().size(), "bare text never reaches a chat");
        assertEquals(2, api.requests().size(), "one nudge, no second one");
        String nudge = lastUserText(1);
        assertTrue(nudge.startsWith("<system>") && nudge.contains("`discord-main`"), nudge);
        RequestAssertions.assertWellFormed(api.requests().get(1));
    }

    @Test
    void theAnswerToTheNudgeIsDelivered() throws Exception {
        api.enqueue(FakeAnthropicServer.text("Oops."));
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "Hello properly")));
        runner.start();
        discord("m1", 2, null, "hi");
        assertEquals("Hello properly", session.awaitReplies(1).get(0).text());
        runner.awaitAck("m1", "completed");
    }

    @Test
    void anUnknownDestinationIsDroppedTheValidOneSentAndTheAgentTold() throws Exception {
        api.enqueue(FakeAnthropicServer.text(to("nowhere", "lost") + to("discord-main", "kept")));
        api.enqueue(FakeAnthropicServer.text("<internal>noted</internal>"));
        runner.start();
        discord("m1", 2, null, "hi");
        runner.awaitAck("m1", "completed");
        List<OutRow> rows = session.replies();
        assertEquals(1, rows.size());
        assertEquals("kept", rows.get(0).text());
        assertTrue(lastUserText(1).contains("\"nowhere\" is not one of your destinations"), lastUserText(1));
    }

    @Test
    void twoBlocksGiveTwoRows() throws Exception {
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "one") + "\n\n" + to("discord-main", "two")));
        runner.start();
        discord("m1", 2, null, "count");
        List<OutRow> rows = session.awaitReplies(2);
        assertEquals("one", rows.get(0).text());
        assertEquals("two", rows.get(1).text());
    }

    @Test
    void withoutInboundFromTheDestinationThereIsNoThreadAndTheBatchIsRepliedTo() throws Exception {
        api.enqueue(FakeAnthropicServer.text(to("slack-ops", "report")));
        runner.start();
        discord("m1", 2, "t-1", "tell ops");
        OutRow r = session.awaitReplies(1).get(0);
        assertEquals("slack", r.channelType());
        assertNull(r.threadId());
        assertEquals("m1", r.inReplyTo());
    }

    @Test
    void theNewestInboundRowFromTheDestinationWins() throws Exception {
        session.row("m-old", 2).routing("chan-1", "discord", "thread-old").status("completed").insert();
        session.row("m-new", 4).routing("chan-1", "discord", "thread-new").status("completed").insert();
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "update")));
        runner.start();
        session.row("task-1", 6).kind("task").routing(null, null, null)
                .content("{\"prompt\":\"post the update\"}").insert();
        OutRow r = session.awaitReplies(1).get(0);
        assertEquals("thread-new", r.threadId());
        assertEquals("m-new", r.inReplyTo());
    }

    @Test
    void internalTextAroundABlockIsNotSent() throws Exception {
        api.enqueue(FakeAnthropicServer.text("<internal>thinking\nhard</internal>\n" + to("discord-main", " answer ")));
        runner.start();
        discord("m1", 2, null, "q");
        assertEquals("answer", session.awaitReplies(1).get(0).text());
        runner.awaitAck("m1", "completed");
        assertEquals(1, api.requests().size(), "only internal text outside the block: no nudge");
    }

    @Test
    void aMixedTaskAndChatBatchGetsOneReply() throws Exception {
        discord("m1", 2, null, "and remind me");
        session.row("task-1", 4).kind("task").routing("chan-1", "discord", null)
                .content("{\"prompt\":\"daily summary\"}").insert();
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "done both")));
        runner.start();
        assertEquals("done both", session.awaitReplies(1).get(0).text());
        String prompt = lastUserText(0);
        assertTrue(prompt.contains("<message ") && prompt.contains("<task "), prompt);
        runner.awaitAck("task-1", "completed");
    }

    @Test
    void aMessageArrivingDuringAToolCallIsPushedIntoTheRunningTurn() throws Exception {
        api.enqueue(FakeAnthropicServer.message("tool_use",
                FakeAnthropicServer.toolUse("toolu_01", "Bash", "{\"command\":\"sleep 1; echo done\"}")));
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "both handled")));
        runner.start();
        discord("m1", 2, null, "run the job");
        awaitRequests(1);
        discord("m2", 4, null, "also, thanks!");
        assertEquals("both handled", session.awaitReplies(1).get(0).text());
        runner.awaitAck("m1", "completed");
        runner.awaitAck("m2", "completed");
        assertEquals(2, api.requests().size(), "no separate turn for the follow-up");
        JsonNode last = api.requests().get(1).messages().get(2).get("content");
        assertEquals("tool_result", last.get(0).get("type").asText());
        assertEquals("text", last.get(1).get("type").asText(), "the follow-up rides after the results");
        assertTrue(last.get(1).get("text").asText().contains("also, thanks!"));
        RequestAssertions.assertWellFormed(api.requests().get(1));
    }

    @Test
    void contextOnlyFollowUpsWaitForATrigger() throws Exception {
        api.enqueue(FakeAnthropicServer.message("tool_use",
                FakeAnthropicServer.toolUse("toolu_01", "Bash", "{\"command\":\"sleep 1\"}")));
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "first")));
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "second")));
        runner.start();
        discord("m1", 2, null, "go");
        awaitRequests(1);
        session.row("ctx", 4).routing("chan-1", "discord", null).trigger(0).content("{\"text\":\"chatter\"}").insert();
        assertEquals("first", session.awaitReplies(1).get(0).text());
        assertEquals(1, api.requests().get(1).messages().get(2).get("content").size(), "not pushed");
        assertTrue(session.ackStatus("ctx").isEmpty(), "context waits, unclaimed");
        discord("m2", 6, null, "@Andy and now?");
        assertEquals("second", session.awaitReplies(2).get(1).text());
        String prompt = lastUserText(2);
        assertTrue(prompt.contains("chatter") && prompt.contains("and now?"), prompt);
    }

    @Test
    void aPreTaskScriptDecidesWhetherTheAgentWakes() throws Exception {
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "3 new mails")));
        runner.start();
        session.row("task-quiet", 2).kind("task").routing("chan-1", "discord", null)
                .content("{\"prompt\":\"check\",\"script\":\"echo noise; echo '{\\\"wakeAgent\\\":false}'\"}").insert();
        runner.awaitAck("task-quiet", "completed");
        assertEquals(0, api.requests().size(), "the agent is not woken");

        session.row("task-loud", 4).kind("task").routing("chan-1", "discord", null)
                .content("{\"prompt\":\"report\",\"script\":\"echo '{\\\"wakeAgent\\\":true,\\\"data\\\":{\\\"n\\\":3}}'\"}")
                .insert();
        assertEquals("3 new mails", session.awaitReplies(1).get(0).text());
        String prompt = lastUserText(0);
        assertTrue(prompt.contains("Script output:\n{\n  \"n\": 3\n}\n\nInstructions:\nreport"), prompt);
        assertFalse(Files.exists(Path.of(System.getProperty("java.io.tmpdir"), "task-script-task-loud.sh")));
    }

    @Test
    void aLargeContextIsArchivedSummarisedAndTheUserToldOnce() throws Exception {
        api.enqueue(FakeAnthropicServer.textWithUsage(170_000, to("discord-main", "big answer")));
        api.enqueue(FakeAnthropicServer.text("The user said hello; Andy answered."));
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "after")));
        runner.start();
        discord("m1", 2, null, "hello");
        List<OutRow> rows = session.awaitReplies(2);
        assertEquals("big answer", rows.get(0).text());
        assertTrue(rows.get(1).text().matches("Context compacted \\(\\d+ tokens compacted\\)\\."), rows.get(1).text());
        assertEquals("chan-1", rows.get(1).platformId());
        String instructions = lastUserText(1);
        assertTrue(instructions.contains("compacted") && instructions.contains("`discord-main`"), instructions);
        RequestAssertions.assertWellFormed(api.requests().get(1));

        Path dir = session.workspace().resolve("agent/conversations");
        List<Path> archives;
        try (Stream<Path> s = Files.list(dir)) {
            archives = s.toList();
        }
        assertEquals(1, archives.size());
        String archive = Files.readString(archives.get(0));
        assertTrue(archive.startsWith("# Conversation\n\nArchived: "), archive);
        assertTrue(archive.contains("**User**: ") && archive.contains("**Andy**: "), archive);

        discord("m2", 4, null, "again");
        assertEquals("after", session.awaitReplies(3).get(2).text());
        JsonNode next = api.requests().get(2).messages();
        assertEquals(3, next.size(), "summary, acknowledgement, new message");
        assertTrue(RequestAssertions.text(next.get(0)).contains("The user said hello; Andy answered."));
        RequestAssertions.assertWellFormed(api.requests().get(2));
    }

    @Test
    void compactCommandSummarisesOnRequest() throws Exception {
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "first")));
        api.enqueue(FakeAnthropicServer.text("Summary."));
        runner.start();
        discord("m1", 2, null, "hello");
        session.awaitReplies(1);
        discord("m2", 4, null, "/compact");
        OutRow notice = session.awaitReplies(2).get(1);
        assertTrue(notice.text().startsWith("Context compacted ("), notice.text());
        assertEquals("m2", notice.inReplyTo());
        runner.awaitAck("m2", "completed");
    }

    @Test
    void contextCostAndFilesAreAnsweredByTheRunnerWithoutTheModel() throws Exception {
        api.enqueue(FakeAnthropicServer.textWithUsage(12_000, to("discord-main", "hi")));
        java.nio.file.Files.writeString(session.workspace().resolve("agent/notes.txt"), "x");
        runner.start();
        discord("m1", 2, null, "hello");
        session.awaitReplies(1);
        discord("m2", 4, null, "/context");
        discord("m3", 6, null, "/cost");
        discord("m4", 8, null, "/files");
        List<OutRow> rows = session.awaitReplies(4);
        assertTrue(rows.get(1).text().startsWith("Context: about 12,015 tokens"), rows.get(1).text());
        assertTrue(rows.get(2).text().contains("1 model call(s): 12,000 input"), rows.get(2).text());
        assertTrue(rows.get(3).text().contains("- notes.txt (1 bytes)"), rows.get(3).text());
        assertEquals(1, api.requests().size(), "the model is not asked");
        runner.awaitAck("m4", "completed");
    }

    @Test
    void malformedInboundContentStillReachesTheAgent() throws Exception {
        api.enqueue(FakeAnthropicServer.text(to("discord-main", "got it")));
        runner.start();
        session.row("m1", 2).routing("chan-1", "discord", null).content("not json {").insert();
        assertEquals("got it", session.awaitReplies(1).get(0).text());
        assertTrue(lastUserText(0).contains(">not json {</message>"), lastUserText(0));
    }

    private void awaitRequests(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (api.requests().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " requests, have " + api.requests().size());
            }
            Thread.sleep(10);
        }
    }
}
