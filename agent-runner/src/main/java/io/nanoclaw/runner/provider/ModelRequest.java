package io.nanoclaw.runner.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * @param system the system prompt, byte-stable across calls so that prompt caching can work
 * @param messages Messages-API turns ({@code {"role", "content"}}), alternating, starting and ending with user
 */
public record ModelRequest(String system, List<ObjectNode> messages) {
    public ModelRequest {
        messages = List.copyOf(messages);
    }
}
