package io.nanoclaw.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool the model can call (agent-runner.md 8.4): a name and input schema as the Messages API's {@code tools}
 * list declares them, and the code that runs a call. Built-in tools keep Claude Code's names and schemas, because
 * skills and prompts assume them.
 */
public interface Tool {
    String name();

    String description();

    /** The JSON schema of the input object, sent as {@code input_schema}. Must be byte-stable (prompt caching). */
    ObjectNode inputSchema();

    /** Read-only tools may run in parallel within one turn; the others run in order. */
    boolean readOnly();

    /**
     * Runs one call. Bad input and failures come back as an error result, never as an exception: the model reads
     * the message and can correct itself.
     */
    ToolResult run(JsonNode input, ToolContext context) throws InterruptedException;
}
