package io.nanoclaw.runner.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * What a tool call returns: text (or content blocks, for images and PDFs read from disk), and whether it is an
 * error ({@code is_error} on the tool_result block).
 */
public record ToolResult(String text, ArrayNode blocks, boolean isError) {
    public static ToolResult ok(String text) {
        return new ToolResult(text, null, false);
    }

    public static ToolResult error(String message) {
        return new ToolResult(message, null, true);
    }

    public static ToolResult blocks(ArrayNode blocks) {
        return new ToolResult(null, blocks, false);
    }
}
