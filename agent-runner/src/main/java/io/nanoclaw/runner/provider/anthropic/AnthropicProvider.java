package io.nanoclaw.runner.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.provider.Sleeper;
import io.nanoclaw.runner.provider.sse.SseEvent;
import io.nanoclaw.runner.provider.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The Anthropic Messages API with SSE streaming. Streaming (rather than one JSON answer) keeps the heartbeat fresh
 * during long answers and avoids idle-connection timeouts on the way. Retries 429/5xx/529 with backoff.
 */
public final class AnthropicProvider implements ModelProvider {
    public static final String API_VERSION = "2023-06-01";
    private static final Duration RESPONSE_HEADERS_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final AnthropicSettings settings;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Runnable onActivity;

    /** @param onActivity called on every stream event and during retry waits (the heartbeat, throttled) */
    public AnthropicProvider(AnthropicSettings settings, HttpClient http, RetryPolicy retry, Sleeper sleeper,
                             Runnable onActivity) {
        this.settings = settings;
        this.http = http;
        this.retry = retry;
        this.sleeper = sleeper;
        this.onActivity = onActivity;
    }

    @Override
    public String name() {
        return RunnerConfig.ANTHROPIC;
    }

    @Override
    public ModelReply complete(ModelRequest request) throws ProviderException {
        HttpRequest httpRequest = httpRequest(body(request));
        for (int attempt = 0; ; attempt++) {
            boolean mayRetry = attempt < retry.maxRetries();
            long started = System.nanoTime();
            HttpResponse<InputStream> response;
            try {
                response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                // the proxy restarting or a dropped connection: as transient as a 503
                if (mayRetry) {
                    Duration wait = retry.delay(attempt, null);
                    Log.warn("anthropic", "request failed (" + Log.describe(e) + "), retry " + (attempt + 1)
                            + " in " + wait.toMillis() + " ms");
                    waitBeforeRetry(wait);
                    continue;
                }
                throw new ProviderException("cannot reach the model API (" + Log.describe(e) + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("interrupted", e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                ModelReply reply = readStream(response.body());
                Log.info("anthropic", "reply in " + (System.nanoTime() - started) / 1_000_000 + " ms, stop="
                        + reply.stopReason() + ", tokens in=" + reply.usage().inputTokens() + " out="
                        + reply.usage().outputTokens());
                return reply;
            }
            String message = AnthropicErrors.describeHttp(status, readErrorBody(response.body()));
            if (mayRetry && retry.isRetryableStatus(status)) {
                Duration wait = retry.delay(attempt, response.headers().firstValue("retry-after").orElse(null));
                Log.warn("anthropic", message + ", retry " + (attempt + 1) + " in " + wait.toMillis() + " ms");
                waitBeforeRetry(wait);
                continue;
            }
            throw new ProviderException(message);
        }
    }

    /** Decodes a Messages API event stream; public so the self-test can feed it a canned stream. */
    public static ModelReply decodeStream(InputStream in, Runnable onEvent) throws ProviderException {
        MessageStreamAccumulator acc = new MessageStreamAccumulator();
        try (SseReader sse = new SseReader(in)) {
            SseEvent event;
            while ((event = sse.next()) != null) {
                onEvent.run();
                if (!acc.finished()) {
                    acc.accept(event);
                }
                // after message_stop the server ends the body at once; reading to the end lets the
                // connection go back to the pool instead of being torn down
            }
        } catch (IOException e) {
            if (!acc.finished()) {
                throw new ProviderException("the model stream broke off (" + Log.describe(e) + ")", e);
            }
        }
        return acc.reply();
    }

    private ModelReply readStream(InputStream body) throws ProviderException {
        return decodeStream(body, onActivity);
    }

    private byte[] body(ModelRequest request) throws ProviderException {
        try {
            return Json.MAPPER.writeValueAsBytes(
                    AnthropicRequestBody.build(settings.model(), settings.maxTokens(), request));
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

    private static byte[] readErrorBody(InputStream in) {
        try (in) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** Sleeps in slices of at most a second, touching the heartbeat, so a long backoff never looks like a hang. */
    private void waitBeforeRetry(Duration wait) throws ProviderException {
        Duration left = wait;
        try {
            do {
                onActivity.run();
                Duration slice = left.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : left;
                sleeper.sleep(slice);
                left = left.minus(slice);
            } while (!left.isZero() && !left.isNegative());
            onActivity.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted", e);
        }
    }
}
