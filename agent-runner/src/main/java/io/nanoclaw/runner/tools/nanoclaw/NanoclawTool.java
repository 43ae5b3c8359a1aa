package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.IOException;
import java.sql.SQLException;

/**
 * The shape every nanoclaw tool shares: a fixed name, description and schema, and a call that returns the success
 * text or throws a {@link Refusal}. Failures read {@code Error: …} as upstream's MCP server reports them, because
 * prompts and skills written for upstream expect that wording.
 */
abstract class NanoclawTool implements Tool {
    private final String name;
    private final String description;
    private final ObjectNode schema;
    protected final NanoclawToolEnv env;

    NanoclawTool(NanoclawToolEnv env, String name, String description, ObjectNode schema) {
        this.env = env;
        this.name = name;
        this.description = description;
        this.schema = schema;
    }

    /** Runs the call; returns the text the model sees on success. */
    abstract String call(JsonNode input, ToolContext context)
            throws Refusal, SQLException, IOException, InterruptedException;

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ObjectNode inputSchema() {
        return schema.deepCopy();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public final ToolResult run(JsonNode input, ToolContext context) throws InterruptedException {
        try {
            return ToolResult.ok(call(input, context));
        } catch (Refusal r) {
            return ToolResult.error("Error: " + r.getMessage());
        } catch (SQLException | IOException e) {
            Log.warn("tools", name + " failed: " + Log.describe(e));
            return ToolResult.error("Error: " + name + " failed: " + e.getMessage());
        }
    }
}
