package io.nanoclaw.runner.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.tools.Tool;
import java.util.List;

/**
 * @param system the system prompt, byte-stable across calls so that prompt caching can work
 * @param messages Messages-API turns ({@code {"role", "content"}}), alternating, starting with user; it may end
 *                 with an assistant turn when a paused turn is resent
 * @param tools the tools offered to the model, in a fixed order (empty: no {@code tools} key is sent)
 */
public record ModelRequest(String system, List<ObjectNode> messages, List<Tool> tools) {
    public ModelRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public ModelRequest(String system, List<ObjectNode> messages) {
        this(system, messages, List.of());
    }
}
