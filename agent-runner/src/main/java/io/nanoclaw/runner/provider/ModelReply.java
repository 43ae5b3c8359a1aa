package io.nanoclaw.runner.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import java.util.List;

/**
 * @param text the assistant message's text blocks, concatenated
 * @param stopReason as the API reports it (end_turn, tool_use, max_tokens, pause_turn, stop_sequence, refusal, ...)
 * @param content every content block of the message as received (text, thinking with its signature, tool_use
 *                with its parsed input, ...), ready to be sent back as the assistant turn
 */
public record ModelReply(String text, String stopReason, TokenUsage usage, List<ObjectNode> content) {
    public ModelReply {
        content = List.copyOf(content);
    }

    /** A text-only reply (an empty text gives no blocks: the API rejects empty text blocks). */
    public ModelReply(String text, String stopReason, TokenUsage usage) {
        this(text, stopReason, usage, text == null || text.isEmpty()
                ? List.of() : List.of(Json.object().put("type", "text").put("text", text)));
    }
}
