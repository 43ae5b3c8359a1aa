package io.nanoclaw.runner.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.Runner;
import io.nanoclaw.runner.RunnerOptions;
import io.nanoclaw.runner.config.ConfigLoader;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.Sleeper;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import io.nanoclaw.runner.testing.FakeOpenAiServer;
import io.nanoclaw.runner.testing.FakeOpenAiServer.Recorded;
import io.nanoclaw.runner.testing.SessionFixture;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container.json that says "ollama": the whole runner answers through the chat-completions API. */
class OpenAiPollLoopTest {
    @TempDir
    Path tmp;
    SessionFixture session;
    FakeOpenAiServer api;
    Runner runner;
    Thread loopThread;

    @BeforeEach
    void setUp() throws Exception {
        session = new SessionFixture(tmp);
        session.addDestination("cli", "channel", "cli", "local", null);
        api = new FakeOpenAiServer(SessionFixture.TOKEN);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (runner != null) {
            runner.loop().stop();
            loopThread.join(5000);
            runner.close();
        }
        api.close();
        session.close();
    }

    @Test
    void answersAChatThroughTheOpenAiProvider() throws Exception {
        RunnerConfig config = ConfigLoader.fromJson(Json.object().put("provider", "ollama")
                .put("model", "llama3.2:3b").put("assistantName", "Andy").put("maxTokens", 800));
        // the Anthropic URL points nowhere: only the provider container.json names may be called
        runner = Runner.open(session.env(URI.create("http://127.0.0.1:9"), api.baseUrl()), config,
                new RunnerOptions(RetryPolicy.standard(), Sleeper.REAL, null));
        loopThread = new Thread(runner.loop(), "test-poll-loop");
        loopThread.start();
        api.enqueue(FakeOpenAiServer.text("<message to=\"cli\">Hello ", "Alice!</message>"));

        session.chat("m1", 2, "Hi there");

        assertEquals("Hello Alice!", session.awaitReplies(1).get(0).text());
        Recorded r = api.requests().get(0);
        assertNull(r.rejected(), r.rejected());
        assertEquals("llama3.2:3b", r.body().get("model").asText());
        assertEquals(800, r.body().get("max_tokens").asInt());
        assertTrue(r.body().get("messages").get(0).get("content").asText().contains("Andy"), "the system prompt");
        assertTrue(r.body().get("messages").get(1).get("content").asText().endsWith("\">Hi there</message>"));
        assertTrue(session.sessionState("continuation:openai").isPresent(), "its own continuation slot");
    }
}
