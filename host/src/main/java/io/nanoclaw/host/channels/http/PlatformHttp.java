package io.nanoclaw.host.channels.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import io.nanoclaw.host.channels.RateLimitedException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking HTTP calls to a platform on the Vert.x HTTP client the host already runs (no second HTTP stack). Call
 * it from worker threads only, never from a Vert.x event loop.
 *
 * <p>Outcomes: any status is returned as an {@link HttpReply}, except 429, which is a {@link RateLimitedException}
 * carrying the wait the platform asked for (the {@code Retry-After} header, else {@code retry_after} or
 * {@code parameters.retry_after} in a JSON body, as Discord and Telegram send it), and 5xx, a refused connection
 * or a timeout, which are a {@link PlatformUnavailableException}.
 */
@Singleton
public class PlatformHttp {
    @Inject
    Vertx vertx;

    private volatile HttpClient client;

    public HttpReply send(HttpCall call) throws IOException {
        CompletableFuture<HttpReply> f = exchange(call);
        HttpReply reply;
        try {
            reply = f.get(call.timeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new PlatformUnavailableException(describe(call) + ": no answer in " + call.timeout().toSeconds()
                    + " s", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof TooLargeException t) {
                throw new IOException(describe(call) + ": " + t.getMessage());
            }
            throw new PlatformUnavailableException(describe(call) + ": " + c, c);
        }
        if (reply.status() == 429) {
            throw new RateLimitedException(describe(call) + ": 429 Too Many Requests", retryAfter(reply));
        }
        if (reply.status() >= 500) {
            throw new PlatformUnavailableException(describe(call) + ": HTTP " + reply.status(), null);
        }
        return reply;
    }

    private CompletableFuture<HttpReply> exchange(HttpCall call) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(call.method()))
                .setAbsoluteURI(call.url()).setIdleTimeout(call.timeout().toMillis())
                .setConnectTimeout(Math.min(call.timeout().toMillis(), 15_000));
        call.headers().forEach(o::putHeader);
        CompletableFuture<HttpReply> result = new CompletableFuture<>();
        // Everything is attached inside the request callback, before the request is sent: a listener added to the
        // composed future later could run after a small answer had already ended ("Response already ended") and
        // leave the call hanging until its timeout.
        client().request(o).onFailure(result::completeExceptionally).onSuccess(req -> {
            req.response().onFailure(result::completeExceptionally).onSuccess(resp -> read(call, resp, result));
            (call.body() == null ? req.end() : req.end(Buffer.buffer(call.body())))
                    .onFailure(result::completeExceptionally);
        });
        return result;
    }

    private static void read(HttpCall call, io.vertx.core.http.HttpClientResponse resp,
                             CompletableFuture<HttpReply> result) {
        String len = resp.getHeader("content-length");
        if (len != null && len.matches("[0-9]{1,18}") && Long.parseLong(len) > call.maxResponseBytes()) {
            resp.request().connection().close();
            result.completeExceptionally(new TooLargeException(len, call.maxResponseBytes()));
            return;
        }
        Buffer body = Buffer.buffer();
        resp.handler(chunk -> {
            if (result.isDone()) {
                return;
            }
            if (body.length() + chunk.length() > call.maxResponseBytes()) {
                resp.request().connection().close();
                result.completeExceptionally(new TooLargeException("more than", call.maxResponseBytes()));
                return;
            }
            body.appendBuffer(chunk);
        });
        resp.exceptionHandler(result::completeExceptionally);
        resp.endHandler(v -> {
            Map<String, List<String>> headers = new HashMap<>();
            resp.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(h.getValue()));
            result.complete(new HttpReply(resp.statusCode(), headers, body.getBytes()));
        });
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    // A few connections per platform are plenty; kept alive so deliveries don't pay a TLS handshake.
                    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(4)
                            .setKeepAliveTimeout(60).setDecompressionSupported(true));
                }
                c = client;
            }
        }
        return c;
    }

    /** The wait a 429 asks for; one second when it names none, at most ten minutes. */
    static Duration retryAfter(HttpReply reply) {
        Double seconds = null;
        String h = reply.header("retry-after");
        if (h != null) {
            try {
                seconds = Double.parseDouble(h.strip());
            } catch (NumberFormatException ignored) {
                // an HTTP date: rare from these platforms; fall through to the body
            }
        }
        if (seconds == null) {
            try {
                JsonNode n = reply.json();
                JsonNode v = n.has("retry_after") ? n.get("retry_after") : n.path("parameters").get("retry_after");
                if (v != null && v.isNumber()) {
                    seconds = v.asDouble();
                }
            } catch (IOException ignored) {
                // not JSON: no hint there
            }
        }
        double s = seconds == null || seconds.isNaN() || seconds < 0 ? 1 : Math.min(seconds, 600);
        return Duration.ofMillis(Math.max(1, (long) Math.ceil(s * 1000)));
    }

    /** Method and URL without the query (which may carry a token) and with any /bot<token>/ path cut out. */
    static String describe(HttpCall call) {
        String u = call.url();
        int q = u.indexOf('?');
        if (q >= 0) {
            u = u.substring(0, q);
        }
        return call.method() + " " + u.replaceAll("/bot[^/]+/", "/bot<token>/")
                .replaceAll("/interactions/([^/]+)/[^/]+/", "/interactions/$1/<token>/");
    }

    @PreDestroy
    void close() {
        HttpClient c = client;
        if (c != null) {
            c.close();
        }
    }

    private static final class TooLargeException extends IOException {
        TooLargeException(String size, long max) {
            super("the answer is too large (" + size + " bytes, at most " + max + ")");
        }
    }
}
