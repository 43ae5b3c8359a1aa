package io.nanoclaw.runner.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import java.util.List;

/**
 * A tool_use block whose input arrived as something other than a JSON object. Smaller models do send broken
 * arguments now and then; failing the whole turn for it would throw away the answer, so the provider keeps the call
 * with an empty input and this marker, and the tool loop answers it with an error result the model can act on.
 * The marker is ours, not the API's: it is stripped before the turn goes into the history.
 */
public final class MalformedToolInput {
    static final String FIELD = "nanoclaw_malformed_input";

    private MalformedToolInput() {}

    /** Marks the block (input set to {@code {}}) with what was wrong, for the tool error. */
    public static ObjectNode mark(ObjectNode toolUse, String problem) {
        toolUse.set("input", Json.object());
        toolUse.put(FIELD, problem);
        return toolUse;
    }

    /** What was wrong with the call's input, or null for a well-formed call. */
    public static String problem(JsonNode toolUse) {
        return Json.text(toolUse, FIELD);
    }

    /** The blocks as they may be sent back: marked blocks copied without the marker, the others unchanged. */
    public static List<ObjectNode> stripped(List<ObjectNode> blocks) {
        return blocks.stream().map(b -> {
            if (!b.has(FIELD)) {
                return b;
            }
            ObjectNode copy = b.deepCopy();
            copy.remove(FIELD);
            return copy;
        }).toList();
    }
}
