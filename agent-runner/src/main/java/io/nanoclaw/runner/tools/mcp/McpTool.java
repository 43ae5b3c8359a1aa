package io.nanoclaw.runner.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;

/**
 * A tool of an MCP server, offered to the model as {@code mcp__<server>__<tool>}. Never read-only: the runner cannot
 * know what a foreign tool does, so calls run in order.
 */
final class McpTool implements Tool {
    private final McpServer server;
    private final String exposedName;
    private final String remoteName;
    private final String description;
    private final ObjectNode schema;

    McpTool(McpServer server, String exposedName, String remoteName, String description, ObjectNode schema) {
        this.server = server;
        this.exposedName = exposedName;
        this.remoteName = remoteName;
        this.description = description;
        this.schema = schema;
    }

    @Override
    public String name() {
        return exposedName;
    }

    /** The tool's name on its server (what tools/call takes). */
    String remoteName() {
        return remoteName;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public ObjectNode inputSchema() {
        return schema.deepCopy();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public ToolResult run(JsonNode input, ToolContext context) throws InterruptedException {
        ToolContext.Liveness liveness = context.liveness();
        liveness.started(exposedName, server.timeouts().call().toMillis());
        try {
            return server.call(remoteName, input, liveness::stillWorking);
        } finally {
            liveness.finished();
        }
    }
}
