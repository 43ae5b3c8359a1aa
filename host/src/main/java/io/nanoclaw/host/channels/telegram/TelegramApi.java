package io.nanoclaw.host.channels.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.http.HttpCall;
import io.nanoclaw.host.channels.http.HttpReply;
import io.nanoclaw.host.channels.http.Multipart;
import io.nanoclaw.host.channels.http.PlatformHttp;
import java.io.IOException;
import java.time.Duration;

/**
 * The Bot API calls the adapter makes: JSON POSTs to {@code <base>/bot<token>/<method>}, multipart uploads and file
 * downloads, on the host's {@link PlatformHttp}. Unwraps the {@code {ok, result}} envelope; a refusal is a
 * {@link TelegramApiException}. Never logs or throws the token (PlatformHttp masks {@code /bot<token>/}).
 */
final class TelegramApi {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(3);

    private final PlatformHttp http;
    private final TelegramConfig config;

    TelegramApi(PlatformHttp http, TelegramConfig config) {
        this.http = http;
        this.config = config;
    }

    TelegramConfig config() {
        return config;
    }

    JsonNode call(String method, ObjectNode params) throws IOException {
        return call(method, params, CALL_TIMEOUT);
    }

    JsonNode call(String method, ObjectNode params, Duration timeout) throws IOException {
        HttpReply reply = http.send(HttpCall.postJson(config.methodUrl(method), params.toString()).timeout(timeout));
        return result(method, reply);
    }

    JsonNode upload(String method, Multipart form) throws IOException {
        HttpReply reply = http.send(HttpCall.post(config.methodUrl(method), form).timeout(UPLOAD_TIMEOUT));
        return result(method, reply);
    }

    /** A file's bytes by its {@code file_path} from getFile, at most {@code max} bytes (else an IOException). */
    byte[] download(String filePath, long max) throws IOException {
        if (filePath == null || !filePath.matches("[A-Za-z0-9._/-]{1,512}") || filePath.contains("..")
                || filePath.startsWith("/")) {
            throw new IOException("Telegram gave an unusable file path");
        }
        HttpReply reply = http.send(HttpCall.get(config.fileUrl(filePath)).timeout(UPLOAD_TIMEOUT)
                .maxResponseBytes(max));
        if (!reply.ok()) {
            throw new TelegramApiException("file download", reply.status(), "HTTP " + reply.status());
        }
        return reply.body();
    }

    private static JsonNode result(String method, HttpReply reply) throws IOException {
        JsonNode n;
        try {
            n = reply.json();
        } catch (IOException e) {
            if (reply.status() == 401 || reply.status() == 404) {
                throw new TelegramApiException(method, reply.status(), reply.status() == 401 ? "Unauthorized"
                        : "Not Found");
            }
            throw e;
        }
        if (n != null && n.path("ok").asBoolean(false) && n.has("result")) {
            return n.get("result");
        }
        int code = n != null && n.path("error_code").canConvertToInt() ? n.path("error_code").asInt()
                : reply.status();
        String description = n == null ? "" : n.path("description").asText("no description");
        throw new TelegramApiException(method, code, description);
    }
}
