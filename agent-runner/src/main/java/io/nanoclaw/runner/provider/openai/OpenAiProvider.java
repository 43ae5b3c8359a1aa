package io.nanoclaw.runner.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.provider.sse.StreamDecoder;
import io.nanoclaw.runner.provider.RetryingSender;
import io.nanoclaw.runner.provider.Sleeper;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * An OpenAI-compatible chat-completions API (OpenAI, Ollama, llama.cpp, vLLM, OpenRouter) with SSE streaming, for
 * agent groups whose container.json names it. The history stays in the Messages-API shape; this class translates
 * it on the way out ({@link OpenAiMessages}) and the answer on the way back ({@link ChatStreamAccumulator}).
 * Retries 429/5xx like the Anthropic provider.
 */
public final class OpenAiProvider implements ModelProvider {
    private static final Duration RESPONSE_HEADERS_TIMEOUT = Duration.ofMinutes(10);

    private final OpenAiSettings settings;
    private final RetryingSender sender;

    /** @param onActivity called on every stream event and during retry waits (the heartbeat, throttled) */
    public OpenAiProvider(OpenAiSettings settings, HttpClient http, RetryPolicy retry, Sleeper sleeper,
                          Runnable onActivity) {
        this.settings = settings;
        this.sender = new RetryingSender("openai", http, retry, sleeper, onActivity, OpenAiErrors::describeHttp);
    }

    /** Its own continuation slot: a Messages-API conversation with thinking signatures is never resumed here. */
    @Override
    public String name() {
        return RunnerConfig.OPENAI;
    }

    @Override
    public ModelReply complete(ModelRequest request) throws ProviderException {
        if (settings.model() == null) {
            // no default fits every server: each has its own model names
            throw new ProviderException("the openai provider needs a model: container_configs.model must be set for "
                    + "this agent group (a model the server at " + settings.baseUrl() + " serves)");
        }
        return sender.stream(httpRequest(body(request)), new ChatStreamAccumulator());
    }

    /** Decodes a chat-completions event stream. */
    public static ModelReply decodeStream(InputStream in, Runnable onEvent) throws ProviderException {
        return StreamDecoder.decode(in, new ChatStreamAccumulator(), onEvent);
    }

    private byte[] body(ModelRequest request) throws ProviderException {
        try {
            return Json.MAPPER.writeValueAsBytes(
                    OpenAiRequestBody.build(settings.model(), settings.maxTokens(), request));
        } catch (JsonProcessingException e) {
            throw new ProviderException("cannot encode the request", e);
        }
    }

    private HttpRequest httpRequest(byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.chatCompletionsUri())
                .timeout(RESPONSE_HEADERS_TIMEOUT)
                .header("content-type", "application/json")
                .header("accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.apiKey() != null) {
            b.header("authorization", "Bearer " + settings.apiKey());
        }
        return b.build();
    }
}
