package io.nanoclaw.runner.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Short, user-safe descriptions of chat-completions errors. OpenAI (and Ollama, llama.cpp, OpenRouter) answer
 * {@code {"error":{"message","type","code"}}}; vLLM answers {@code {"object":"error","message","type"}}; some
 * servers put a plain string in {@code error}. A stream can also carry an error object in a {@code data:} chunk.
 */
final class OpenAiErrors {
    private static final int MAX_LENGTH = 300;

    private OpenAiErrors() {}

    /** For a non-2xx answer: "API error 404 invalid_request_error: The model ... does not exist". */
    static String describeHttp(int status, byte[] body) {
        String detail = detail(body == null ? null : parse(body));
        return shorten("API error " + status + (detail == null ? "" : " " + detail));
    }

    /** For an error chunk inside a 200 stream. */
    static String describeStreamError(JsonNode chunk) {
        String detail = detail(chunk);
        return shorten("API error during streaming" + (detail == null ? "" : ": " + detail));
    }

    /** "type: message" from an error body, or null when it isn't one. */
    static String detail(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode error = root.get("error");
        if (error != null && error.isTextual()) {
            return error.textValue();
        }
        JsonNode holder = error != null && error.isObject() ? error : root;
        String type = Json.text(holder, "type");
        String message = Json.text(holder, "message");
        if (message == null) {
            return error != null && error.isObject() ? type : null;
        }
        return type == null ? message : type + ": " + message;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null; // a proxy's HTML error page: the status alone says enough
        }
    }

    private static String shorten(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH - 1) + "\u2026";
    }
}
