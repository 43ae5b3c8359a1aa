package io.nanoclaw.runner.provider.anthropic;

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
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The Anthropic Messages API with SSE streaming. Streaming (rather than one JSON answer) keeps the heartbeat fresh
 * during long answers and avoids idle-connection timeouts on the way. Retries 429/5xx/529 with backoff.
 */
public final class AnthropicProvider implements ModelProvider {
    public static final String API_VERSION = "2023-06-01";
    private static final Duration RESPONSE_HEADERS_TIMEOUT = Duration.ofMinutes(10);

    private final AnthropicSettings settings;
    private final RetryingSender sender;

    /** @param onActivity called on every stream event and during retry waits (the heartbeat, throttled) */
    public AnthropicProvider(AnthropicSettings settings, HttpClient http, RetryPolicy retry, Sleeper sleeper,
                             Runnable onActivity) {
        this.settings = settings;
        this.sender = new RetryingSender("anthropic", http, retry, sleeper, onActivity, AnthropicErrors::describeHttp);
    }

    @Override
    public String name() {
        return RunnerConfig.ANTHROPIC;
    }

    @Override
    public ModelReply complete(ModelRequest request) throws ProviderException {
        return sender.stream(httpRequest(body(request)), new MessageStreamAccumulator());
    }

    /** Decodes a Messages API event stream; public so the self-test can feed it a canned stream. */
    public static ModelReply decodeStream(InputStream in, Runnable onEvent) throws ProviderException {
        return StreamDecoder.decode(in, new MessageStreamAccumulator(), onEvent);
    }

    private byte[] body(ModelRequest request) throws ProviderException {
        try {
            return Json.MAPPER.writeValueAsBytes(
                    AnthropicRequestBody.build(settings.model(), settings.maxTokens(), settings.thinking(), request));
        } catch (JsonProcessingException e) {
            throw new ProviderException("cannot encode the request", e);
        }
    }

    private HttpRequest httpRequest(byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.messagesUri())
                .timeout(RESPONSE_HEADERS_TIMEOUT)
                .header("anthropic-version", API_VERSION)
                .header("content-type", "application/json")
                .header("accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.apiKey() != null) {
            b.header("x-api-key", settings.apiKey());
        }
        return b.build();
    }
}
