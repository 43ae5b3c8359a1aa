package io.nanoclaw.host.channels.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.channels.http.HttpCall;
import io.nanoclaw.host.channels.http.HttpReply;
import io.nanoclaw.host.channels.http.Multipart;
import io.nanoclaw.host.channels.http.PlatformHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Discord's REST API v10 on the host's {@link PlatformHttp}: {@code Authorization: Bot <token>}, JSON in and out,
 * rate limits honoured ({@link RateLimits}). Outcomes: the JSON answer (null for 204), or
 * {@link RateLimitedException} (429, or a route still closed for longer than we wait inline),
 * {@link io.nanoclaw.host.channels.PlatformUnavailableException} (5xx, unreachable), {@link DiscordApiException}
 * (any other refusal, with Discord's own error code and message). Blocking: worker threads only.
 */
final class DiscordRest {
    /** A route closed for at most this long is waited for here; longer, the caller is told to come back. */
    static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlatformHttp http;
    private final String baseUrl;
    private final String token;
    private final RateLimits limits = new RateLimits();

    DiscordRest(PlatformHttp http, String baseUrl, String token) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** A refusal from Discord: HTTP status, Discord's JSON error code (0 when none) and its message. */
    static final class DiscordApiException extends IOException {
        final int status;
        final int code;

        DiscordApiException(String what, int status, int code, String message) {
            super(what + ": HTTP " + status + (code != 0 ? " (Discord error " + code + ")" : "")
                    + (message.isEmpty() ? "" : ": " + message));
            this.status = status;
            this.code = code;
        }
    }

    JsonNode get(String path) throws IOException {
        return send("GET", path, null, null);
    }

    JsonNode json(String method, String path, JsonNode body) throws IOException {
        return send(method, path, body == null ? null : body.toString(), null);
    }

    JsonNode multipart(String method, String path, Multipart form) throws IOException {
        return send(method, path, null, form);
    }

    /** The route's remaining wait (zero when free): lets cosmetic calls like typing skip instead of waiting. */
    Duration waitFor(String method, String path) {
        return limits.wait(RateLimits.route(method, path));
    }

    /**
     * Acknowledges an interaction. No bot token: the interaction token in the path is the credential. Never waits
     * on buckets (Discord wants the answer within 3 s) and never puts the path in an error message.
     */
    void interactionCallback(String interactionId, String interactionToken, int type) throws IOException {
        HttpCall call = HttpCall.postJson(baseUrl + "/interactions/" + interactionId + "/" + interactionToken
                + "/callback", "{\"type\":" + type + "}").timeout(Duration.ofSeconds(3));
        HttpReply r;
        try {
            r = http.send(call);
        } catch (RateLimitedException e) {
            throw new RateLimitedException("interaction callback: 429", e.retryAfter());
        } catch (IOException e) {
            // PlatformHttp's message names the URL, which holds the interaction token
            throw new IOException("interaction callback: " + e.getClass().getSimpleName());
        }
        if (!r.ok()) {
            throw refusal("POST /interactions/<id>/<token>/callback", r);
        }
    }

    private JsonNode send(String method, String path, String json, Multipart form) throws IOException {
        String route = RateLimits.route(method, path);
        Duration wait = limits.wait(route);
        if (wait.compareTo(MAX_INLINE_WAIT) > 0) {
            throw new RateLimitedException(route + ": rate limited for " + wait.toSeconds() + " s more", wait);
        }
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Discord's rate limit", e);
            }
        }
        HttpCall call;
        if (form != null) {
            call = HttpCall.post(baseUrl + path, form).method(method).timeout(Duration.ofSeconds(120));
        } else if (json != null) {
            call = HttpCall.postJson(baseUrl + path, json).method(method);
        } else {
            call = HttpCall.get(baseUrl + path).method(method);
        }
        call = call.header("Authorization", "Bot " + token)
                .header("User-Agent", "DiscordBot (https://github.com/nanoclaw, 1.0) NanoClaw-Java");
        HttpReply r;
        try {
            r = http.send(call);
        } catch (RateLimitedException e) {
            // The JSON body may say "global": PlatformHttp keeps only the wait. The route is closed either way.
            limits.close(route, e.retryAfter(), false);
            throw e;
        }
        limits.update(route, r);
        if (!r.ok()) {
            throw refusal(route, r);
        }
        if (r.status() == 204 || r.body().length == 0) {
            return null;
        }
        return r.json();
    }

    private static DiscordApiException refusal(String what, HttpReply r) {
        int code = 0;
        String message = "";
        try {
            JsonNode n = JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
            if (n != null && n.isObject()) {
                code = n.path("code").asInt(0);
                message = n.path("message").asText("");
            }
        } catch (IOException ignored) {
            // not JSON: the status says enough
        }
        if (message.length() > 200) {
            message = message.substring(0, 200) + "…";
        }
        return new DiscordApiException(what, r.status(), code, message);
    }
}
