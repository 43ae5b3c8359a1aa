package io.nanoclaw.runner.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.provider.HttpClients;
import io.nanoclaw.runner.provider.Sleeper;
import io.nanoclaw.runner.testing.FakeAnthropicServer;
import io.nanoclaw.runner.testing.RequestAssertions;
import io.nanoclaw.runner.testing.SessionFixture;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest {
    private final FakeAnthropicServer server;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final AtomicInteger activity = new AtomicInteger();

    AnthropicProviderTest() throws Exception {
        server = new FakeAnthropicServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private AnthropicProvider provider(URI base) {
        Sleeper recording = sleeps::add;
        return new AnthropicProvider(new AnthropicSettings(base, SessionFixture.TOKEN, "claude-sonnet-4-5", 1024),
                HttpClients.shared(), RetryPolicy.standard(), recording, activity::incrementAndGet);
    }

    private static ModelRequest hello() {
        return new ModelRequest("You are a test.", List.of(Turns.user("Hello")));
    }

    private Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }

    @Test
    void streamsTextAndReportsStopReasonAndUsage() throws Exception {
        server.enqueue(FakeAnthropicServer.text("Hi", " there", "!"));
        ModelReply reply = provider(server.baseUrl()).complete(hello());
        assertEquals("Hi there!", reply.text());
        assertEquals("end_turn", reply.stopReason());
        assertEquals(472, reply.usage().inputTokens());
        assertEquals(15, reply.usage().outputTokens());
        assertTrue(activity.get() >= 9, "every SSE event counts as activity");
        RequestAssertions.assertWellFormed(server.requests().get(0));
        assertEquals(1024, server.requests().get(0).body().get("max_tokens").asInt());
    }

    @Test
    void anErrorEventMidStreamIsAFailure() {
        server.enqueue(FakeAnthropicServer.streamError("overloaded_error", "Overloaded"));
        ProviderException e = assertThrows(ProviderException.class, () -> provider(server.baseUrl()).complete(hello()));
        assertEquals("API error during streaming: overloaded_error: Overloaded", e.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void honoursRetryAfterOnRateLimits() throws Exception {
        server.enqueue(FakeAnthropicServer.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit", "3"));
        server.enqueue(FakeAnthropicServer.text("ok"));
        assertEquals("ok", provider(server.baseUrl()).complete(hello()).text());
        assertEquals(Duration.ofSeconds(3), slept());
        assertTrue(sleeps.stream().allMatch(d -> d.compareTo(Duration.ofSeconds(1)) <= 0), "sliced for the heartbeat");
    }

    @Test
    void givesUpAfterFourRetriesWithExponentialBackoff() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(FakeAnthropicServer.error(529, "overloaded_error", "Overloaded"));
        }
        ProviderException e = assertThrows(ProviderException.class, () -> provider(server.baseUrl()).complete(hello()));
        assertEquals("API error 529 overloaded_error: Overloaded", e.getMessage());
        assertEquals(5, server.requests().size());
        assertEquals(Duration.ofSeconds(1 + 2 + 4 + 8), slept());
    }

    @Test
    void clientErrorsAreNotRetried() {
        server.enqueue(FakeAnthropicServer.error(400, "invalid_request_error", "messages: roles must alternate"));
        ProviderException e = assertThrows(ProviderException.class, () -> provider(server.baseUrl()).complete(hello()));
        assertEquals("API error 400 invalid_request_error: messages: roles must alternate", e.getMessage());
        assertEquals(1, server.requests().size());
        assertEquals(Duration.ZERO, slept());
    }

    @Test
    void anUnreachableApiIsRetriedThenReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections to it are refused
        }
        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(URI.create("http://127.0.0.1:" + port)).complete(hello()));
        assertTrue(e.getMessage().startsWith("cannot reach the model API"), e.getMessage());
        assertEquals(Duration.ofSeconds(15), slept());
    }

    @Test
    void aStreamThatStopsBeforeMessageStopFails() {
        String cut = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"half\"}}\n\n";
        ProviderException e = assertThrows(ProviderException.class, () -> AnthropicProvider.decodeStream(
                new ByteArrayInputStream(cut.getBytes(StandardCharsets.UTF_8)), () -> { }));
        assertTrue(e.getMessage().contains("before message_stop"));
    }

    @Test
    void concatenatesTextBlocksInIndexOrderAndIgnoresOthers() throws Exception {
        String sse = """
                event: message_start
                data: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"model":"x","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"One. "}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: content_block_start
                data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Two."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":2}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":7}}

                event: message_stop
                data: {"type":"message_stop"}

                """;
        ModelReply reply = AnthropicProvider.decodeStream(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)),
                () -> { });
        assertEquals("One. Two.", reply.text());
        assertEquals("max_tokens", reply.stopReason());
        assertEquals(7, reply.usage().outputTokens());
    }

    @Test
    void anEffortTurnsOnExtendedThinkingWithRoomForTheAnswer() throws Exception {
        server.enqueue(FakeAnthropicServer.message("end_turn", FakeAnthropicServer.thinking("Let me think.", "sig-1"),
                FakeAnthropicServer.textBlock("Done.")));
        AnthropicProvider p = new AnthropicProvider(new AnthropicSettings(server.baseUrl(), SessionFixture.TOKEN,
                "claude-sonnet-4-5", 1024, Thinking.forEffort("high")), HttpClients.shared(), RetryPolicy.standard(),
                sleeps::add, activity::incrementAndGet);
        ModelReply reply = p.complete(hello());
        assertEquals("Done.", reply.text());
        assertEquals("thinking", reply.content().get(0).get("type").asText(), "kept, with its signature");
        var body = server.requests().get(0).body();
        RequestAssertions.assertWellFormed(server.requests().get(0));
        assertEquals("enabled", body.at("/thinking/type").asText());
        assertEquals(16_384, body.at("/thinking/budget_tokens").asInt());
        assertEquals(16_384 + 4_096, body.get("max_tokens").asInt());
    }

    @Test
    void effortsMapToBudgetsAndUnknownOnesToNone() {
        assertEquals(2_048, Thinking.forEffort("low").budgetTokens());
        assertEquals(8_192, Thinking.forEffort(" Medium ").budgetTokens());
        assertEquals(64_000, Thinking.forEffort("max").maxTokens(32_000), "within the output limit");
        assertEquals(null, Thinking.forEffort("turbo"));
        assertEquals(null, Thinking.forEffort(null));
    }
}
