package io.nanoclaw.runner.provider;

import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import io.nanoclaw.runner.provider.sse.StreamAccumulator;
import io.nanoclaw.runner.provider.sse.StreamDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends one model request with the retries every provider needs: connection failures and retryable statuses (429,
 * 5xx, 529) wait as {@link RetryPolicy} says (a {@code retry-after} header wins) and go again. Waits are cut into
 * slices of at most a second that touch the activity callback, so a long backoff never looks like a hang.
 */
public final class RetryingSender {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /** Turns a non-2xx answer into the short, user-safe message of the {@code Error:} reply. */
    @FunctionalInterface
    public interface ErrorDescriber {
        String describe(int status, byte[] body);
    }

    private final String logTag;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Runnable onActivity;
    private final ErrorDescriber errors;

    public RetryingSender(String logTag, HttpClient http, RetryPolicy retry, Sleeper sleeper, Runnable onActivity,
                          ErrorDescriber errors) {
        this.logTag = logTag;
        this.http = http;
        this.retry = retry;
        this.sleeper = sleeper;
        this.onActivity = onActivity;
        this.errors = errors;
    }

    /**
     * One streamed model call: sent with retries, the event stream fed to {@code acc} (every event touches the
     * heartbeat), and the outcome logged with its time and tokens.
     */
    public ModelReply stream(HttpRequest request, StreamAccumulator acc) throws ProviderException {
        long started = System.nanoTime();
        ModelReply reply = StreamDecoder.decode(send(request).body(), acc, onActivity);
        Log.info(logTag, "reply in " + (System.nanoTime() - started) / 1_000_000 + " ms, stop="
                + reply.stopReason() + ", tokens in=" + reply.usage().inputTokens() + " out="
                + reply.usage().outputTokens());
        return reply;
    }

    /** The first 2xx answer, its body not yet read; the caller closes it (by reading it to the end). */
    public HttpResponse<InputStream> send(HttpRequest request) throws ProviderException {
        for (int attempt = 0; ; attempt++) {
            boolean mayRetry = attempt < retry.maxRetries();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                // the proxy restarting or a dropped connection: as transient as a 503
                if (mayRetry) {
                    Duration wait = retry.delay(attempt, null);
                    Log.warn(logTag, "request failed (" + Log.describe(e) + "), retry " + (attempt + 1)
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
                return response;
            }
            String message = errors.describe(status, readErrorBody(response.body()));
            if (mayRetry && retry.isRetryableStatus(status)) {
                Duration wait = retry.delay(attempt, response.headers().firstValue("retry-after").orElse(null));
                Log.warn(logTag, message + ", retry " + (attempt + 1) + " in " + wait.toMillis() + " ms");
                waitBeforeRetry(wait);
                continue;
            }
            throw new ProviderException(message);
        }
    }

    private static byte[] readErrorBody(InputStream in) {
        try (in) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

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
