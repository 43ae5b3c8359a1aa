package io.nanoclaw.runner.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.HttpClients;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import io.nanoclaw.runner.testing.FakeOpenAiServer;
import io.nanoclaw.runner.testing.FakeOpenAiServer.Recorded;
import io.nanoclaw.runner.testing.SessionFixture;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider against a fake chat-completions API that streams the real chunk format and checks each request. */
class OpenAiProviderTest {
    private final FakeOpenAiServer server;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final AtomicInteger activity = new AtomicInteger();

    OpenAiProviderTest() throws Exception {
        server = new FakeOpenAiServer(SessionFixture.TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiProvider provider(String model) {
        return provider(server.baseUrl(), model);
    }

    private OpenAiProvider provider(URI base, String model) {
        return new OpenAiProvider(new OpenAiSettings(base, SessionFixture.TOKEN, model, 1024),
                HttpClients.shared(), RetryPolicy.standard(), sleeps::add, activity::incrementAndGet);
    }

    private static ModelRequest hello() {
        return new ModelRequest("You are a test.", List.of(Turns.user("Hello")));
    }

    private static ObjectNode image(String mediaType, String data) {
        ObjectNode b = Json.object().put("type", "image");
        b.putObject("source").put("type", "base64").put("media_type", mediaType).put("data", data);
        return b;
    }

    private Recorded only() {
        List<Recorded> rs = server.requests();
        assertEquals(1, rs.size());
        assertNull(rs.get(0).rejected(), "the API would reject the request: " + rs.get(0).rejected());
        return rs.get(0);
    }

    @Test
    void streamsTextAndMapsUsage() throws Exception {
        server.enqueue(FakeOpenAiServer.text("Hi", " there", "!"));
        ModelReply reply = provider("llama3.2").complete(hello());

        assertEquals("Hi there!", reply.text());
        assertEquals("end_turn", reply.stopReason());
        assertEquals(1, reply.content().size());
        assertEquals("text", reply.content().get(0).get("type").asText());
        assertEquals(1200 - 1024, reply.usage().inputTokens(), "cached tokens are counted apart, as Anthropic does");
        assertEquals(1024, reply.usage().cacheReadInputTokens());
        assertEquals(15, reply.usage().outputTokens());
        assertTrue(activity.get() >= 7, "every chunk counts as activity");

        Recorded r = only();
        assertEquals("/v1/chat/completions", r.path());
        assertEquals("Bearer " + SessionFixture.TOKEN, r.headers().get("authorization"));
        assertEquals("application/json", r.headers().get("content-type"));
        assertEquals("text/event-stream", r.headers().get("accept"));
        JsonNode b = r.body();
        assertEquals("llama3.2", b.get("model").asText());
        assertEquals(1024, b.get("max_tokens").asInt());
        assertTrue(b.get("stream").asBoolean());
        assertTrue(b.get("stream_options").get("include_usage").asBoolean());
        assertFalse(b.has("tools"), "no tools: no tools key");
        assertEquals(Json.parse("[{\"role\":\"system\",\"content\":\"You are a test.\"},"
                + "{\"role\":\"user\",\"content\":\"Hello\"}]"), b.get("messages"));
    }

    /** Every block type the history can hold, translated; the fake API accepts the result. */
    @Test
    void translatesTheMessagesApiHistory() throws Exception {
        ObjectNode thinking = Json.object().put("type", "thinking").put("thinking", "let me see")
                .put("signature", "EqQBCgIYAhIM");
        ObjectNode say = Json.object().put("type", "text").put("text", "Looking.");
        ObjectNode call = Json.object().put("type", "tool_use").put("id", "call_Read1").put("name", "Read");
        call.putObject("input").put("file_path", "/workspace/agent/a.png");
        ObjectNode call2 = Json.object().put("type", "tool_use").put("id", "call_Bash2").put("name", "Bash");
        call2.putObject("input").put("command", "false");
        ObjectNode imageResult = Json.object().put("type", "tool_result").put("tool_use_id", "call_Read1");
        imageResult.putArray("content").add(image("image/png", "iVBORw0KGgo="))
                .addObject().put("type", "text").put("text", "(1 image)");
        ObjectNode failed = Json.object().put("type", "tool_result").put("tool_use_id", "call_Bash2")
                .put("content", "exit code 1").put("is_error", true);
        ObjectNode pdf = Json.object().put("type", "document").put("title", "report.pdf");
        pdf.putObject("source").put("type", "base64").put("media_type", "application/pdf").put("data", "JVBERi0=");
        List<ObjectNode> history = List.of(
                Turns.user("Show me a.png"),
                Turns.of(Turns.ASSISTANT, List.of(thinking, say, call, call2)),
                Turns.of(Turns.USER, List.of(imageResult, failed,
                        Json.object().put("type", "text").put("text", "and this one"),
                        image("image/jpeg", "/9j/4AAQ"), pdf)));
        server.enqueue(FakeOpenAiServer.text("A red square."));

        assertEquals("A red square.", provider("gpt-4o").complete(new ModelRequest("sys", history)).text());

        JsonNode m = only().messages();
        assertEquals(6, m.size(), m.toPrettyString());
        assertEquals("system", m.get(0).get("role").asText());
        assertEquals("Show me a.png", m.get(1).get("content").asText());
        JsonNode assistant = m.get(2);
        assertEquals("Looking.", assistant.get("content").asText(), "thinking is dropped");
        assertEquals(2, assistant.get("tool_calls").size());
        JsonNode tc = assistant.get("tool_calls").get(0);
        assertEquals("call_Read1", tc.get("id").asText());
        assertEquals("function", tc.get("type").asText());
        assertEquals("Read", tc.get("function").get("name").asText());
        assertEquals(call.get("input"), Json.parse(tc.get("function").get("arguments").asText()),
                "arguments are a JSON string");
        assertEquals("tool", m.get(3).get("role").asText());
        assertEquals("call_Read1", m.get(3).get("tool_call_id").asText());
        assertEquals("[image (image/png) not shown: this API takes no images in tool results]\n(1 image)",
                m.get(3).get("content").asText());
        assertEquals("call_Bash2", m.get(4).get("tool_call_id").asText());
        assertEquals("Error: exit code 1", m.get(4).get("content").asText());
        JsonNode user = m.get(5);
        assertEquals("user", user.get("role").asText());
        JsonNode parts = user.get("content");
        assertEquals(3, parts.size());
        assertEquals("and this one", parts.get(0).get("text").asText());
        assertEquals("data:image/jpeg;base64,/9j/4AAQ", parts.get(1).get("image_url").get("url").asText());
        assertEquals("[document \"report.pdf\" (application/pdf) not shown: this model reads text and images only]",
                parts.get(2).get("text").asText());
    }

    @Test
    void toolsAreSentAsFunctions() throws Exception {
        server.enqueue(FakeOpenAiServer.text("ok"));
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("command").put("type", "string");
        io.nanoclaw.runner.tools.Tool bash = new io.nanoclaw.runner.tools.Tool() {
            public String name() { return "Bash"; }
            public String description() { return "Runs a command"; }
            public ObjectNode inputSchema() { return schema; }
            public boolean readOnly() { return false; }
            public io.nanoclaw.runner.tools.ToolResult run(JsonNode in, io.nanoclaw.runner.tools.ToolContext c) {
                return null;
            }
        };
        provider("qwen2.5").complete(new ModelRequest("sys", List.of(Turns.user("hi")), List.of(bash)));
        JsonNode tools = only().body().get("tools");
        assertEquals(1, tools.size());
        assertEquals("function", tools.get(0).get("type").asText());
        assertEquals("Bash", tools.get(0).get("function").get("name").asText());
        assertEquals("Runs a command", tools.get(0).get("function").get("description").asText());
        assertEquals(schema, tools.get(0).get("function").get("parameters"));
    }

    @Test
    void honoursRetryAfterOnRateLimits() throws Exception {
        server.enqueue(FakeOpenAiServer.error(429, "requests", "Rate limit reached for requests", "rate_limit_exceeded",
                "3"));
        server.enqueue(FakeOpenAiServer.text("ok"));
        int before = activity.get();

        assertEquals("ok", provider("gpt-4o-mini").complete(hello()).text());

        assertEquals(2, server.requests().size());
        assertEquals(Duration.ofSeconds(3), sleeps.stream().reduce(Duration.ZERO, Duration::plus));
        assertTrue(sleeps.stream().allMatch(d -> d.compareTo(Duration.ofSeconds(1)) <= 0), "sliced for the heartbeat");
        assertTrue(activity.get() - before >= 4, "the heartbeat is touched while waiting");
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenReported() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(FakeOpenAiServer.error(503, "server_error", "The server is overloaded", null));
        }
        ProviderException e = assertThrows(ProviderException.class, () -> provider("gpt-4o").complete(hello()));
        assertEquals("API error 503 server_error: The server is overloaded", e.getMessage());
        assertEquals(5, server.requests().size());
        assertEquals(Duration.ofSeconds(1 + 2 + 4 + 8), sleeps.stream().reduce(Duration.ZERO, Duration::plus));
    }

    @Test
    void anErrorBodyBecomesTheMessageAndIsNotRetried() {
        server.enqueue(FakeOpenAiServer.error(404, "invalid_request_error",
                "The model `gpt-9` does not exist or you do not have access to it.", "model_not_found"));
        ProviderException e = assertThrows(ProviderException.class, () -> provider("gpt-9").complete(hello()));
        assertEquals("API error 404 invalid_request_error: The model `gpt-9` does not exist or you do not have "
                + "access to it.", e.getMessage());
        assertEquals(1, server.requests().size());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aRequestTheApiWouldRejectFailsWithItsWords() {
        ObjectNode dangling = Json.object().put("type", "tool_use").put("id", "call_x").put("name", "Bash");
        dangling.putObject("input");
        ModelRequest bad = new ModelRequest("sys", List.of(Turns.user("hi"),
                Turns.of(Turns.ASSISTANT, List.of(dangling)), Turns.user("and?")));
        ProviderException e = assertThrows(ProviderException.class, () -> provider("gpt-4o").complete(bad));
        assertTrue(e.getMessage().startsWith("API error 400 invalid_request_error: An assistant message with "
                + "'tool_calls' must be followed by tool messages"), e.getMessage());
    }

    @Test
    void aModelIsRequired() {
        ProviderException e = assertThrows(ProviderException.class, () -> provider(null).complete(hello()));
        assertTrue(e.getMessage().contains("container_configs.model must be set"), e.getMessage());
        assertTrue(server.requests().isEmpty(), "nothing is sent without a model");
    }

    @Test
    void anErrorChunkMidStreamIsAFailure() {
        server.enqueue(FakeOpenAiServer.raw("data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},"
                + "\"finish_reason\":null}]}\n\n"
                + "data: {\"error\":{\"message\":\"Provider returned error\",\"code\":502}}\n\n"));
        ProviderException e = assertThrows(ProviderException.class, () -> provider("x/y").complete(hello()));
        assertEquals("API error during streaming: Provider returned error", e.getMessage());
    }

    @Test
    void aStreamThatEndsBeforeItsFinishReasonFails() {
        server.enqueue(FakeOpenAiServer.raw("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half\"},"
                + "\"finish_reason\":null}]}\n\n"));
        ProviderException e = assertThrows(ProviderException.class, () -> provider("m").complete(hello()));
        assertTrue(e.getMessage().contains("before its finish_reason"), e.getMessage());
    }
}
