package io.nanoclaw.runner.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Short, user-safe descriptions of API errors. The API answers errors as
 * {@code {"type":"error","error":{"type":"...","message":"..."}}}, over HTTP or as an SSE {@code error} event.
 */
public final class AnthropicErrors {
    private static final int MAX_LENGTH = 300;

    private AnthropicErrors() {}

    /** For a non-2xx answer: "API error 400 invalid_request_error: ..." (or just the status without a JSON body). */
    public static String describeHttp(int status, byte[] body) {
        String detail = detail(body == null ? null : new String(body, StandardCharsets.UTF_8));
        return shorten("API error " + status + (detail == null ? "" : " " + detail));
    }

    /** For an {@code error} event inside a 200 stream. */
    public static String describeStreamError(String data) {
        String detail = detail(data);
        return shorten("API error during streaming" + (detail == null ? "" : ": " + detail));
    }

    /** "type: message" from an error envelope, or null when the text isn't one. */
    static String detail(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode root = Json.parse(text);
            JsonNode error = root == null ? null : root.get("error");
            if (error == null || !error.isObject()) {
                return null;
            }
            String type = Json.text(error, "type");
            String message = Json.text(error, "message");
            if (type == null && message == null) {
                return null;
            }
            return type == null ? message : message == null ? type : type + ": " + message;
        } catch (IOException e) {
            return null; // a proxy's HTML error page: the status alone says enough
        }
    }

    private static String shorten(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH - 1) + "\u2026";
    }
}
