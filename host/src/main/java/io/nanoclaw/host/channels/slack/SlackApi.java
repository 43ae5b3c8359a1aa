package io.nanoclaw.host.channels.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.channels.http.HttpCall;
import io.nanoclaw.host.channels.http.HttpReply;
import io.nanoclaw.host.channels.http.PlatformHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Slack's Web API over {@link PlatformHttp}: {@code POST <base>/<method>} with {@code Authorization: Bearer}, a JSON
 * body where the method takes JSON and a form body where it doesn't. Slack answers most refusals with HTTP 200 and
 * {@code {ok: false, error}}, so every answer's {@code ok} is checked: {@code ratelimited} becomes a
 * {@link RateLimitedException} (1 s), server-side errors a {@link PlatformUnavailableException}, the rest a
 * {@link SlackApiException}. HTTP 429 (with Retry-After) and 5xx are classified by PlatformHttp already.
 */
final class SlackApi {
    private final PlatformHttp http;
    private final SlackConfig config;

    SlackApi(PlatformHttp http, SlackConfig config) {
        this.http = http;
        this.config = config;
    }

    /** A method that accepts {@code application/json}, with the bot token. */
    JsonNode call(String method, ObjectNode body) throws IOException {
        HttpCall c = HttpCall.postJson(config.apiBaseUrl() + "/" + method, body.toString())
                .header("Authorization", "Bearer " + config.botToken());
        return check(method, http.send(c));
    }

    /** A method that takes form fields only (read methods, files.getUploadURLExternal), with the bot token. */
    JsonNode callForm(String method, Map<String, String> form) throws IOException {
        return check(method, http.send(form(method, form, config.botToken())));
    }

    /** apps.connections.open: the only call made with the app-level token. Returns the wss URL. */
    String openConnection() throws IOException {
        JsonNode n = check("apps.connections.open", http.send(form("apps.connections.open", Map.of(),
                config.appToken())));
        String url = n.path("url").asText("");
        if (!url.startsWith("wss://") && !url.startsWith("ws://")) {
            throw new IOException("apps.connections.open answered without a WebSocket URL");
        }
        return url;
    }

    private HttpCall form(String method, Map<String, String> fields, String token) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v != null) {
                sb.append(sb.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v));
            }
        });
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/x-www-form-urlencoded");
        h.put("Authorization", "Bearer " + token);
        return new HttpCall("POST", config.apiBaseUrl() + "/" + method, h,
                sb.toString().getBytes(StandardCharsets.UTF_8), HttpCall.DEFAULT_TIMEOUT,
                HttpCall.DEFAULT_MAX_RESPONSE_BYTES);
    }

    static JsonNode check(String method, HttpReply reply) throws IOException {
        if (!reply.ok()) {
            throw new IOException("Slack answered HTTP " + reply.status() + " to " + method);
        }
        JsonNode n = reply.json();
        if (n.path("ok").asBoolean(false)) {
            return n;
        }
        String error = n.path("error").asText("unknown_error");
        switch (error) {
            case "ratelimited" -> throw new RateLimitedException("Slack rate-limited " + method,
                    Duration.ofSeconds(1));
            case "internal_error", "fatal_error", "service_unavailable", "request_timeout" ->
                    throw new PlatformUnavailableException("Slack failed " + method + ": " + error, null);
            default -> throw new SlackApiException(method, error);
        }
    }

    /**
     * A file behind {@code url_private(_download)}, fetched with the bot token; at most {@code max} bytes. The token
     * goes only to Slack's own hosts (or the configured API host, for tests): a file URL elsewhere is refused.
     */
    byte[] download(String url, long max) throws IOException {
        if (!trustedFileUrl(url)) {
            throw new IOException("not a Slack file URL");
        }
        HttpReply r = http.send(HttpCall.get(url).header("Authorization", "Bearer " + config.botToken())
                .maxResponseBytes(max).timeout(Duration.ofSeconds(120)));
        if (r.status() >= 300 && r.status() < 400) {
            throw new IOException("Slack redirected the download (HTTP " + r.status() + "): the bot token may lack "
                    + "the files:read scope");
        }
        if (!r.ok()) {
            throw new IOException("download answered HTTP " + r.status());
        }
        String type = r.header("content-type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
            throw new IOException("Slack answered with a web page instead of the file: the bot token may lack "
                    + "the files:read scope");
        }
        return r.body();
    }

    /** Step 2 of an upload: the bytes to the pre-signed URL files.getUploadURLExternal handed out (no token). */
    void upload(String uploadUrl, byte[] data) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/octet-stream");
        HttpReply r = http.send(new HttpCall("POST", uploadUrl, h, data, Duration.ofSeconds(120),
                HttpCall.DEFAULT_MAX_RESPONSE_BYTES));
        if (!r.ok()) {
            throw new IOException("the file upload answered HTTP " + r.status());
        }
    }

    boolean trustedFileUrl(String url) {
        try {
            URI u = URI.create(url);
            URI base = URI.create(config.apiBaseUrl());
            String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
            if ("https".equals(u.getScheme()) && (host.equals("slack.com") || host.endsWith(".slack.com"))) {
                return true;
            }
            return u.getScheme() != null && u.getScheme().equals(base.getScheme()) && host.equalsIgnoreCase(
                    base.getHost()) && u.getPort() == base.getPort();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
