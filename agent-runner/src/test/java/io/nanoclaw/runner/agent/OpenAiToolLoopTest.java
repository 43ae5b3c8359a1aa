package io.nanoclaw.runner.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.runner.agent.AgentToolLoopTest.FakeTool;
import io.nanoclaw.runner.history.ContinuationSlot;
import io.nanoclaw.runner.history.ConversationHistory;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.HttpClients;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import io.nanoclaw.runner.provider.openai.OpenAiProvider;
import io.nanoclaw.runner.provider.openai.OpenAiSettings;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.testing.FakeOpenAiServer;
import io.nanoclaw.runner.testing.FakeOpenAiServer.Call;
import io.nanoclaw.runner.testing.FakeOpenAiServer.Recorded;
import io.nanoclaw.runner.testing.SessionFixture;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent session and tool loop over the OpenAI-compatible provider, against a fake chat-completions API
 * that rejects what the real one would (a tool message without its call, a call without its tool message).
 */
class OpenAiToolLoopTest {
    @TempDir
    Path tmp;
    SessionFixture session;
    OutboundStore outbound;
    ContinuationSlot slot;
    FakeOpenAiServer api;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final AtomicInteger echoRuns = new AtomicInteger();

    final Tool echo = new FakeTool("Echo", true, in -> {
        echoRuns.incrementAndGet();
        return ToolResult.ok("echo: " + in.path("text").asText());
    });

    @BeforeEach
    void open() throws Exception {
        session = new SessionFixture(tmp);
        outbound = OutboundStore.open(session.workspace().resolve("outbound.db"), JournalMode.WAL);
        slot = new ContinuationSlot(outbound, "openai");
        api = new FakeOpenAiServer(SessionFixture.TOKEN);
    }

    @AfterEach
    void close() throws Exception {
        api.close();
        outbound.close();
        session.close();
    }

    AgentSession agent(ConversationHistory history) {
        OpenAiProvider provider = new OpenAiProvider(
                new OpenAiSettings(api.baseUrl(), SessionFixture.TOKEN, "qwen2.5:7b", 1024),
                HttpClients.shared(), RetryPolicy.standard(), sleeps::add, () -> { });
        return new AgentSession(provider, "You are a test.", history, List.of(echo),
                new ToolContext(tmp, List.of(tmp), ToolContext.NO_LIVENESS), () -> { });
    }

    /** All requests, each one accepted by the fake API's checks. */
    List<Recorded> requests() {
        List<Recorded> all = api.requests();
        for (Recorded r : all) {
            assertNull(r.rejected(), "the API would reject request " + all.indexOf(r) + ": " + r.rejected());
        }
        return all;
    }

    @Test
    void oneToolCallRoundTrip() throws Exception {
        api.enqueue(FakeOpenAiServer.toolCalls("Let me check.",
                new Call("call_DdmNBBOnlXxOaqFsRY9Kv0NQ", "Echo", "{\"text\": \"hi there\"}")));
        api.enqueue(FakeOpenAiServer.text("Done", "."));
        ConversationHistory history = ConversationHistory.resume(session.stateDir(), slot);

        assertEquals("Done.", agent(history).respond("Please echo"));

        List<Recorded> rs = requests();
        assertEquals(2, rs.size());
        JsonNode tools = rs.get(0).body().get("tools");
        assertEquals("Echo", tools.get(0).get("function").get("name").asText());
        assertEquals(echo.inputSchema(), tools.get(0).get("function").get("parameters"));
        JsonNode second = rs.get(1).messages();
        assertEquals(4, second.size(), second.toPrettyString()); // system, user, assistant with the call, tool
        JsonNode assistant = second.get(2);
        assertEquals("assistant", assistant.get("role").asText());
        assertEquals("Let me check.", assistant.get("content").asText());
        JsonNode call = assistant.get("tool_calls").get(0);
        assertEquals("call_DdmNBBOnlXxOaqFsRY9Kv0NQ", call.get("id").asText());
        assertEquals("Echo", call.get("function").get("name").asText());
        assertEquals(Json.parse("{\"text\":\"hi there\"}"), Json.parse(call.get("function").get("arguments").asText()));
        JsonNode tool = second.get(3);
        assertEquals("tool", tool.get("role").asText());
        assertEquals("call_DdmNBBOnlXxOaqFsRY9Kv0NQ", tool.get("tool_call_id").asText());
        assertEquals("echo: hi there", tool.get("content").asText());

        // the history keeps the Messages-API shape: user, assistant with tool_use, user with tool_result, assistant
        assertEquals(4, history.size());
        List<ObjectNode> turns = history.turnsWith(List.of());
        assertEquals("tool_use", turns.get(1).get("content").get(1).get("type").asText());
        assertEquals("tool_result", turns.get(2).get("content").get(0).get("type").asText());
        assertTrue(slot.get().isPresent(), "the conversation is resumable under continuation:openai");
        assertTrue(Files.exists(session.stateDir().resolve(slot.get().get() + ".jsonl")));

        // the next turn sends that history again, translated, and the API accepts it
        api.enqueue(FakeOpenAiServer.text("Again?"));
        assertEquals("Again?", agent(ConversationHistory.resume(session.stateDir(), slot)).respond("Once more"));
        assertEquals(6, requests().get(2).messages().size(), "system, user, call, tool, answer, user");
    }

    @Test
    void malformedArgumentsAreAnsweredWithAToolErrorAndTheLoopGoesOn() throws Exception {
        api.enqueue(FakeOpenAiServer.toolCalls(null,
                new Call("call_bad", "Echo", "{\"text\": \"unterminated"),
                new Call("call_good", "Echo", "{\"text\": \"fine\"}")));
        api.enqueue(FakeOpenAiServer.text("Sorry, fixed."));
        ConversationHistory history = ConversationHistory.resume(session.stateDir(), slot);

        assertEquals("Sorry, fixed.", agent(history).respond("Echo twice"));

        assertEquals(1, echoRuns.get(), "the malformed call did not run, the good one did");
        JsonNode second = requests().get(1).messages();
        JsonNode calls = second.get(2).get("tool_calls");
        assertTrue(second.get(2).get("content").isNull(), "only tool calls: content null");
        assertEquals("{}", calls.get(0).get("function").get("arguments").asText(),
                "the broken arguments are not sent back (some servers reject them)");
        JsonNode bad = second.get(3);
        assertEquals("call_bad", bad.get("tool_call_id").asText());
        assertTrue(bad.get("content").asText().startsWith("Error: Your input for Echo was not a valid JSON object"),
                bad.get("content").asText());
        assertEquals("echo: fine", second.get(4).get("content").asText());
    }
}
