package io.nanoclaw.host.selfmod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.approvals.ApprovalRequests;
import io.nanoclaw.host.delivery.AgentNotes;
import io.nanoclaw.host.delivery.SystemActionHandler;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code add_mcp_server{name, command, args, env}} (host.md 6.3). The card shows the command and its arguments so
 * the admin sees what would run; env values may be secrets, so only their names are shown.
 */
@Singleton
public class AddMcpServerRequest implements SystemActionHandler {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    @Inject
    ApprovalRequests approvals;
    @Inject
    AgentNotes notes;

    @Override
    public String action() {
        return "add_mcp_server";
    }

    @Override
    public void handle(Session session, JsonNode content) {
        ObjectNode payload;
        try {
            payload = validate(content);
        } catch (IllegalArgumentException e) {
            notes.tellAndWake(session, "add_mcp_server failed: " + e.getMessage());
            return;
        }
        List<String> args = Strings.list(payload, "args");
        String envNames = String.join(", ", iterable(payload.get("env").fieldNames()));
        String q = "The agent asks to add the MCP server '" + payload.get("name").asText() + "':\n"
                + payload.get("command").asText() + (args.isEmpty() ? "" : " " + String.join(" ", args))
                + (envNames.isEmpty() ? "" : "\nEnvironment: " + envNames + " (values not shown)");
        approvals.request(session, action(), payload, "🔌 Add MCP server", q);
    }

    /** name, command, args (strings), env (string values): anything else is refused. */
    public static ObjectNode validate(JsonNode content) {
        String name = content.path("name").asText("");
        if (!content.path("name").isTextual() || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the name must be 1-64 letters, digits, '_' or '-'");
        }
        JsonNode command = content.get("command");
        if (command == null || !command.isTextual() || command.asText().isBlank()
                || command.asText().length() > 1000) {
            throw new IllegalArgumentException("command must be a non-empty string");
        }
        List<String> args = Strings.list(content, "args");
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("name", name).put("command", command.asText());
        args.forEach(out.putArray("args")::add);
        ObjectNode env = out.putObject("env");
        JsonNode e = content.get("env");
        if (e != null && !e.isNull()) {
            if (!e.isObject()) {
                throw new IllegalArgumentException("env must be an object of strings");
            }
            for (Map.Entry<String, JsonNode> f : iterable(e.fields())) {
                if (!ENV_NAME.matcher(f.getKey()).matches() || !f.getValue().isTextual()) {
                    throw new IllegalArgumentException("env must map variable names to strings");
                }
                env.put(f.getKey(), f.getValue().asText());
            }
        }
        return out;
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
