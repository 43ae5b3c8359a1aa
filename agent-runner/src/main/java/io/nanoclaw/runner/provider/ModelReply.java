package io.nanoclaw.runner.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import java.util.List;
import java.util.Map;

/**
 * @param text the assistant message's text blocks, concatenated
 * @param stopReason as the API reports it (end_turn, tool_use, max_tokens, pause_turn, stop_sequence, refusal, ...)
 * @param content every content block of the message as received (text, thinking with its signature, tool_use
 *                with its parsed input, ...), ready to be sent back as the assistant turn
 * @param malformedToolInputs tool_use id → the raw input text, for calls whose input was not valid JSON: their
 *                block carries {@code {}} (so the turn stays valid for the API) and the tool loop answers them
 *                with an error instead of running them
 */
public record ModelReply(String text, String stopReason, TokenUsage usage, List<ObjectNode> content,
                         Map<String, String> malformedToolInputs) {
    public ModelReply {
        content = List.copyOf(content);
        malformedToolInputs = malformedToolInputs == null ? Map.of() : Map.copyOf(malformedToolInputs);
    }

    public ModelReply(String text, String stopReason, TokenUsage usage, List<ObjectNode> content) {
        this(text, stopReason, usage, content, Map.of());
    }

    /** A text-only reply (an empty text gives no blocks: the API rejects empty text blocks). */
    public ModelReply(String text, String stopReason, TokenUsage usage) {
        this(text, stopReason, usage, text == null || text.isEmpty()
                ? List.of() : List.of(Json.object().put("type", "text").put("text", text)));
    }
}
