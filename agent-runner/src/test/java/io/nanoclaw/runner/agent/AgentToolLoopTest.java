package io.nanoclaw.runner.agent;

import static io.nanoclaw.runner.testing.FakeAnthropicServer.message;
import static io.nanoclaw.runner.testing.FakeAnthropicServer.textBlock;
import static io.nanoclaw.runner.testing.FakeAnthropicServer.thinking;
import static io.nanoclaw.runner.testing.FakeAnthropicServer.toolUse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.runner.history.ContinuationSlot;
import io.nanoclaw.runner.history.ConversationHistory;
import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.HttpClients;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.provider.anthropic.AnthropicProvider;
import io.nanoclaw.runner.provider.anthropic.AnthropicSettings;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.testing.FakeAnthropicServer;
import io.nanoclaw.runner.testing.FakeAnthropicServer.Recorded;
import io.nanoclaw.runner.testing.RequestAssertions;
import io.nanoclaw.runner.testing.SessionFixture;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agentic loop against a fake Messages API speaking the real SSE wire format, with small fake tools. */
class AgentToolLoopTest {
    static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds5zbPQ2g";

    @TempDir
    Path tmp;
    SessionFixture session;
    OutboundStore outbound;
    ContinuationSlot slot;
    FakeAnthropicServer api;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();
    final List<String> events = new CopyOnWriteArrayList<>();

    /** A fake tool: its behaviour is a function of the input. */
    record FakeTool(String name, boolean readOnly, Function<JsonNode, ToolResult> body) implements Tool {
        @Override
        public String description() {
            return "Fake tool " + name;
        }

        @Override
        public ObjectNode inputSchema() {
            ObjectNode schema = Json.object().put("type", "object");
            schema.putObject("properties").putObject("text").put("type", "string");
            return schema;
        }

        @Override
        public ToolResult run(JsonNode input, ToolContext context) {
            return body.apply(input);
        }
    }

    final Tool echo = new FakeTool("Echo", true, in -> ToolResult.ok("echo: " + in.path("text").asText()));

    @BeforeEach
    void open() throws Exception {
        session = new SessionFixture(tmp);
        outbound = OutboundStore.open(session.workspace().resolve("outbound.db"), JournalMode.WAL);
        slot = new ContinuationSlot(outbound, "anthropic");
        api = new FakeAnthropicServer();
    }

    @AfterEach
    void close() throws Exception {
        api.close();
        outbound.close();
        session.close();
    }

    AgentSession agent(ConversationHistory history, Tool... tools) {
        AnthropicProvider provider = new AnthropicProvider(
                new AnthropicSettings(api.baseUrl(), SessionFixture.TOKEN, "claude-sonnet-4-5", 1024),
                HttpClients.shared(), RetryPolicy.standard(), sleeps::add, heartbeats::incrementAndGet);
        return new AgentSession(provider, "You are a test.", history, List.of(tools),
                new ToolContext(tmp, List.of(tmp), ToolContext.NO_LIVENESS), heartbeats::incrementAndGet);
    }

    ConversationHistory history() throws Exception {
        return ConversationHistory.resume(session.stateDir(), slot);
    }

    List<Recorded> requests() {
        List<Recorded> all = api.requests();
        all.forEach(RequestAssertions::assertWellFormed);
        return all;
    }

    static JsonNode lastContent(Recorded r) {
        JsonNode m = r.messages();
        return m.get(m.size() - 1).get("content");
    }

    @Test
    void oneToolCallRoundTrip() throws Exception {
        api.enqueue(message("tool_use", textBlock("Let me ", "check."),
                toolUse("toolu_01A09q90qw90lq917835lq9", "Echo", "{\"text\": \"hi there\"}")));
        api.enqueue(FakeAnthropicServer.text("Done."));
        ConversationHistory history = history();
        int before = heartbeats.get();

        assertEquals("Done.", agent(history, echo).respond("Please echo"), "only the final message's text");

        List<Recorded> rs = requests();
        assertEquals(2, rs.size());
        JsonNode tools = rs.get(0).body().get("tools");
        assertEquals(1, tools.size());
        assertEquals("Echo", tools.get(0).get("name").asText());
        assertEquals("Fake tool Echo", tools.get(0).get("description").asText());
        assertEquals(echo.inputSchema(), tools.get(0).get("input_schema"));
        JsonNode second = rs.get(1).messages();
        assertEquals(3, second.size());
        JsonNode assistant = second.get(1).get("content");
        assertEquals("Let me check.", assistant.get(0).get("text").asText());
        assertEquals("tool_use", assistant.get(1).get("type").asText());
        assertEquals("toolu_01A09q90qw90lq917835lq9", assistant.get(1).get("id").asText());
        assertEquals(Json.parse("{\"text\":\"hi there\"}"), assistant.get(1).get("input"));
        JsonNode result = second.get(2).get("content").get(0);
        assertEquals("tool_result", result.get("type").asText());
        assertEquals("toolu_01A09q90qw90lq917835lq9", result.get("tool_use_id").asText());
        assertEquals("echo: hi there", result.get("content").asText());
        assertFalse(result.has("is_error"));
        assertTrue(heartbeats.get() - before >= 2, "heartbeat around the tool call and on stream events");
        assertEquals(4, history.size(), "the whole exchange is kept");
    }

    @Test
    void readOnlyCallsRunInParallelAndMutatingOnesInOrder() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        Function<JsonNode, ToolResult> overlapping = in -> {
            events.add("start " + in.path("text").asText());
            bothStarted.countDown();
            try {
                // only returns true when the other read-only call runs at the same time
                boolean overlapped = bothStarted.await(5, TimeUnit.SECONDS);
                events.add("end " + in.path("text").asText());
                return overlapped ? ToolResult.ok("read " + in.path("text").asText()) : ToolResult.error("alone");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        Tool read = new FakeTool("Read", true, overlapping);
        Tool write = new FakeTool("Write", false, in -> {
            events.add("write " + in.path("text").asText());
            return ToolResult.ok("wrote " + in.path("text").asText());
        });
        api.enqueue(message("tool_use", toolUse("toolu_1", "Read", "{\"text\":\"a\"}"),
                toolUse("toolu_2", "Read", "{\"text\":\"b\"}"), toolUse("toolu_3", "Write", "{\"text\":\"c\"}"),
                toolUse("toolu_4", "Write", "{\"text\":\"d\"}")));
        api.enqueue(FakeAnthropicServer.text("All done."));

        assertEquals("All done.", agent(history(), read, write).respond("go"));

        JsonNode results = lastContent(requests().get(1));
        assertEquals(4, results.size());
        assertEquals("read a", results.get(0).get("content").asText());
        assertEquals("read b", results.get(1).get("content").asText());
        assertEquals("wrote c", results.get(2).get("content").asText());
        assertEquals("wrote d", results.get(3).get("content").asText());
        assertEquals(List.of("write c", "write d"), events.subList(4, 6), "mutating calls after the reads, in order");
    }

    @Test
    void unknownToolsAndThrowingToolsBecomeErrorResults() throws Exception {
        Tool boom = new FakeTool("Boom", false, in -> {
            throw new IllegalStateException("kaboom");
        });
        api.enqueue(message("tool_use", toolUse("toolu_x", "Nope", "{}"), toolUse("toolu_y", "Boom", "{}")));
        api.enqueue(FakeAnthropicServer.text("Sorry."));

        assertEquals("Sorry.", agent(history(), echo, boom).respond("go"));

        JsonNode results = lastContent(requests().get(1));
        assertEquals("Unknown tool: Nope", results.get(0).get("content").asText());
        assertTrue(results.get(0).get("is_error").asBoolean());
        assertEquals("Tool Boom failed: kaboom", results.get(1).get("content").asText());
        assertTrue(results.get(1).get("is_error").asBoolean());
    }

    @Test
    void longOutputIsTruncatedKeepingHeadAndTail() throws Exception {
        String big = "HEAD" + "x".repeat(100_000) + "TAIL";
        Tool dump = new FakeTool("Dump", true, in -> ToolResult.ok(big));
        api.enqueue(message("tool_use", toolUse("toolu_d", "Dump", "{}")));
        api.enqueue(FakeAnthropicServer.text("ok"));

        agent(history(), dump).respond("go");

        String content = lastContent(requests().get(1)).get(0).get("content").asText();
        assertTrue(content.length() > 29_000 && content.length() < 30_200, "length " + content.length());
        assertTrue(content.startsWith("HEAD") && content.endsWith("TAIL"));
        assertTrue(content.contains("characters truncated (output was 100008 characters)"));
    }

    @Test
    void maxTokensIsRecoveredAtMostThreeTimes() throws Exception {
        for (int i = 1; i <= 5; i++) {
            api.enqueue(message("max_tokens", textBlock("part" + i + " ")));
        }
        ConversationHistory history = history();

        assertEquals("part1 part2 part3 part4 ", agent(history, echo).respond("write a lot"));

        List<Recorded> rs = requests();
        assertEquals(4, rs.size(), "the first call and three recoveries");
        JsonNode last = rs.get(3).messages();
        assertEquals(7, last.size());
        for (int i : new int[] {2, 4, 6}) {
            assertTrue(RequestAssertions.text(last.get(i)).startsWith("Your response was cut off"));
        }
        assertEquals("part3 ", RequestAssertions.text(last.get(5)));
        assertEquals(8, history.size());
    }

    @Test
    void pauseTurnIsResentAsIs() throws Exception {
        api.enqueue(message("pause_turn", textBlock("Searching the web.")));
        api.enqueue(FakeAnthropicServer.text(" Found it."));
        ConversationHistory history = history();

        assertEquals("Searching the web. Found it.", agent(history, echo).respond("search"));

        JsonNode second = requests().get(1).messages();
        assertEquals(2, second.size());
        assertEquals("assistant", second.get(1).get("role").asText());
        assertEquals("Searching the web.", RequestAssertions.text(second.get(1)));
        assertEquals(2, history.size(), "one assistant turn for the paused and the continued part");
    }

    @Test
    void thinkingBlocksAreSentBackWithTheirSignature() throws Exception {
        api.enqueue(message("tool_use", thinking("The user wants an echo. I will call Echo.", SIGNATURE),
                toolUse("toolu_t", "Echo", "{\"text\":\"x\"}")));
        api.enqueue(FakeAnthropicServer.text("x"));

        agent(history(), echo).respond("echo x");

        JsonNode block = requests().get(1).messages().get(1).get("content").get(0);
        ObjectNode expected = Json.object().put("type", "thinking")
                .put("thinking", "The user wants an echo. I will call Echo.").put("signature", SIGNATURE);
        assertEquals(expected, block);
    }

    @Test
    void cacheBreakpointsOnLastToolSystemAndNewestUserBlock() throws Exception {
        Tool other = new FakeTool("Other", false, in -> ToolResult.ok("other"));
        api.enqueue(message("tool_use", toolUse("toolu_c", "Echo", "{\"text\":\"1\"}")));
        api.enqueue(FakeAnthropicServer.text("done"));

        agent(history(), echo, other).respond("go");

        List<Recorded> rs = requests();
        for (Recorded r : rs) {
            JsonNode b = r.body();
            assertEquals(3, RequestAssertions.cacheBreakpoints(b));
            assertNull(b.get("tools").get(0).get("cache_control"));
            assertEquals("ephemeral", b.get("tools").get(1).path("cache_control").path("type").asText());
            assertTrue(b.get("system").isArray());
            assertEquals("You are a test.", b.get("system").get(0).get("text").asText());
            assertEquals("ephemeral", b.get("system").get(0).path("cache_control").path("type").asText());
            JsonNode content = lastContent(r);
            assertEquals("ephemeral", content.get(content.size() - 1).path("cache_control").path("type").asText());
        }
        assertEquals(rs.get(0).body().get("tools").toString(), rs.get(1).body().get("tools").toString());
        assertEquals(rs.get(0).body().get("system").toString(), rs.get(1).body().get("system").toString());
        assertNull(rs.get(1).messages().get(0).get("content").get(0).get("cache_control"), "only the newest user");
    }

    @Test
    void noToolsMeansNoToolsKey() throws Exception {
        api.enqueue(FakeAnthropicServer.text("hi"));
        assertEquals("hi", agent(history()).respond("hello"));
        assertFalse(requests().get(0).body().has("tools"));
    }

    @Test
    void aRestartAfterAToolTurnKeepsAValidHistory() throws Exception {
        api.enqueue(message("tool_use", toolUse("toolu_r", "Echo", "{\"text\":\"r\"}")));
        api.enqueue(FakeAnthropicServer.text("first answer"));
        ConversationHistory first = history();
        agent(first, echo).respond("one");

        // a crash tore the next exchange after its tool_use: that tail is dropped on load
        Path file = session.stateDir().resolve(first.id() + ".jsonl");
        ObjectNode dangling = Turns.of(Turns.ASSISTANT, List.of(Json.object().put("type", "tool_use")
                .put("id", "toolu_dangling").put("name", "Echo").set("input", Json.object())));
        Files.writeString(file, Turns.user("two").toString() + "\n" + dangling + "\n",
                java.nio.file.StandardOpenOption.APPEND);

        ConversationHistory resumed = history();
        assertEquals(first.id(), resumed.id());
        assertEquals(4, resumed.size());
        api.enqueue(FakeAnthropicServer.text("second answer"));
        assertEquals("second answer", agent(resumed, echo).respond("three"));

        JsonNode messages = requests().get(2).messages();
        assertEquals(5, messages.size());
        assertEquals("toolu_r", messages.get(2).get("content").get(0).get("tool_use_id").asText());
        assertEquals("three", RequestAssertions.text(messages.get(4)));
    }

    @Test
    void aServerErrorMidLoopIsRetried() throws Exception {
        api.enqueue(message("tool_use", toolUse("toolu_5", "Echo", "{\"text\":\"5\"}")));
        api.enqueue(FakeAnthropicServer.error(500, "api_error", "Internal server error"));
        api.enqueue(FakeAnthropicServer.text("recovered"));

        assertEquals("recovered", agent(history(), echo).respond("go"));

        List<Recorded> rs = requests();
        assertEquals(3, rs.size());
        assertEquals(rs.get(1).body(), rs.get(2).body(), "the same request again");
        assertEquals(List.of(Duration.ofSeconds(1)), sleeps);
    }

    @Test
    void aFailedTurnLeavesNoDanglingToolUse() throws Exception {
        api.enqueue(message("tool_use", toolUse("toolu_6", "Echo", "{\"text\":\"6\"}")));
        api.enqueue(FakeAnthropicServer.error(400, "invalid_request_error", "bad"));
        ConversationHistory history = history();
        AgentSession agent = agent(history, echo);

        assertThrows(ProviderException.class, () -> agent.respond("go"));
        assertEquals(0, history.size());

        api.enqueue(FakeAnthropicServer.text("fine"));
        assertEquals("fine", agent.respond("again"));
        assertEquals(1, requests().get(2).messages().size());
    }

    @Test
    void theLoopIsCapped() throws Exception {
        for (int i = 0; i < ToolLoop.MAX_MODEL_CALLS; i++) {
            api.enqueue(message("tool_use", toolUse("toolu_l" + i, "Echo", "{\"text\":\"again\"}")));
        }
        ConversationHistory history = history();
        ProviderException e = assertThrows(ProviderException.class, () -> agent(history, echo).respond("loop"));
        assertTrue(e.getMessage().contains("50 model calls"), e.getMessage());
        assertEquals(ToolLoop.MAX_MODEL_CALLS, api.requests().size());
        assertEquals(0, history.size());
    }

    @Test
    void malformedToolInputIsAnsweredWithAToolErrorAndTheTurnGoesOn() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        Tool counted = new FakeTool("Echo", true, in -> {
            ran.incrementAndGet();
            return ToolResult.ok("ran");
        });
        api.enqueue(message("tool_use", toolUse("toolu_bad", "Echo", "{\"text\": \"unterminated"),
                toolUse("toolu_good", "Echo", "{\"text\": \"ok\"}")));
        api.enqueue(FakeAnthropicServer.text("Recovered."));
        assertEquals("Recovered.", agent(history(), counted).respond("go"));
        assertEquals(1, ran.get(), "only the well-formed call ran");
        List<Recorded> rs = requests();
        JsonNode assistant = rs.get(1).messages().get(1).get("content");
        assertEquals(Json.object(), assistant.get(0).get("input"), "the bad call goes back with an empty input");
        JsonNode results = lastContent(rs.get(1));
        assertEquals("toolu_bad", results.get(0).get("tool_use_id").asText());
        assertTrue(results.get(0).get("is_error").asBoolean());
        assertTrue(results.get(0).get("content").asText().contains("was not a valid JSON object"));
        assertFalse(results.get(1).has("is_error"));
    }
}
