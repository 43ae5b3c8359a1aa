package io.nanoclaw.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The content JSON of a plain chat row, in both directions: {@code {"text", "sender"?, "senderId"?}}. Built and
 * read through Jackson's tree model so that neither side needs reflection (native-ready).
 */
public record ChatContent(String text, String sender, String senderId) {

    public static ChatContent text(String text) {
        return new ChatContent(text, null, null);
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.put("text", text == null ? "" : text);
        if (sender != null) {
            n.put("sender", sender);
        }
        if (senderId != null) {
            n.put("senderId", senderId);
        }
        return n;
    }

    public String toJsonString(ObjectMapper mapper) {
        return toJson(mapper).toString();
    }

    /** Reads the fields this record knows; a non-object or missing text gives an empty text. */
    public static ChatContent fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            return new ChatContent("", null, null);
        }
        return new ChatContent(textOrNull(n, "text") == null ? "" : textOrNull(n, "text"),
                textOrNull(n, "sender"), textOrNull(n, "senderId"));
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
