package io.nanoclaw.runner.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import java.util.List;

/** Messages-API turns. Content is always a block array, the form that later takes tool and cache blocks. */
public final class Turns {
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    private Turns() {}

    public static ObjectNode user(String text) {
        return textTurn(USER, text);
    }

    public static ObjectNode assistant(String text) {
        return textTurn(ASSISTANT, text);
    }

    /** A turn made of the given content blocks, in order. */
    public static ObjectNode of(String role, List<? extends JsonNode> blocks) {
        ObjectNode turn = Json.object();
        turn.put("role", role);
        ArrayNode content = turn.putArray("content");
        blocks.forEach(content::add);
        return turn;
    }

    private static ObjectNode textTurn(String role, String text) {
        ObjectNode turn = Json.object();
        turn.put("role", role);
        ArrayNode content = turn.putArray("content");
        content.addObject().put("type", "text").put("text", text);
        return turn;
    }
}
