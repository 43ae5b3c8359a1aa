package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * add_mcp_server (agent-runner.md 3.5): asks for an MCP server in this group's config; an admin approves, the host
 * writes container.json and restarts the container. The shape is checked here so a request the runner could not
 * start is refused before anyone is asked to approve it.
 */
final class AddMcpServer extends NanoclawTool {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final ObjectNode SCHEMA = schema();

    AddMcpServer(NanoclawToolEnv env) {
        super(env, "add_mcp_server", "Add an EXISTING MCP server to YOUR runtime config: you must already know the"
                + " exact `command` and `args` that start it (e.g. `npx @modelcontextprotocol/server-github`)."
                + " Needs admin approval and returns at once; you are notified.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        String name = Args.text(input, "name");
        String command = Args.text(input, "command");
        if (name == null || command == null || command.isBlank()) {
            throw new Refusal("name and command are required");
        }
        if (!NAME.matcher(name).matches()) {
            throw new Refusal("Invalid MCP server name: \"" + name + "\". Use 1 to 64 letters, digits, '_' or '-'.");
        }
        List<String> args = Args.strings(input, "args");
        ObjectNode serverEnv = envObject(input);
        ObjectNode content = Json.object();
        content.put("action", "add_mcp_server");
        content.put("name", name);
        content.put("command", command);
        args.forEach(content.putArray("args")::add);
        content.set("env", serverEnv);
        OutboundRows.write(env, new OutboundMessage(MessageIds.next("msg"), MessageKind.SYSTEM,
                content.toString(), null, null));
        return "MCP server request submitted. You will be notified when admin approves or rejects.";
    }

    private static ObjectNode envObject(JsonNode input) throws Refusal {
        JsonNode v = input == null ? null : input.get("env");
        ObjectNode out = Json.object();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new Refusal("env must be an object of string values");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new Refusal("env must be an object of string values (" + e.getKey() + " is not a string)");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static ObjectNode schema() {
        ObjectNode env = Json.object();
        env.put("type", "object");
        env.putObject("additionalProperties").put("type", "string");
        env.put("description", "Environment variables for the server");
        return SchemaBuilder.object()
                .property("name", "string", "MCP server name (unique identifier: letters, digits, '_' or '-')",
                        true)
                .property("command", "string", "Command to run the MCP server", true)
                .property("args", SchemaBuilder.stringArray("Command arguments"), false)
                .property("env", env, false)
                .build();
    }
}
