package io.nanoclaw.runner.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import java.io.IOException;

/** A messages_in content column as a JSON object, the way the original's parseContent reads it. */
public final class RowContent {
    private RowContent() {}

    /** Non-JSON content becomes {@code {"text": raw}}; JSON that is not an object reads as an empty object. */
    public static JsonNode parse(String content) {
        if (content == null) {
            return Json.object();
        }
        try {
            JsonNode n = Json.parse(content);
            return n != null && n.isObject() ? n : Json.object();
        } catch (IOException e) {
            ObjectNode o = Json.object();
            o.put("text", content);
            return o;
        }
    }

    /** {@code content.text || ""}. */
    public static String text(JsonNode content) {
        String t = Json.text(content, "text");
        return t == null ? "" : t;
    }
}
