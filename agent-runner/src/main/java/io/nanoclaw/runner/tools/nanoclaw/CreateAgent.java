package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;

/**
 * create_agent (agent-runner.md 3.5): asks the host for a companion agent. The host checks the permission, creates
 * the group, wires both directions and tells this agent when the new one is ready.
 */
final class CreateAgent extends NanoclawTool {
    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .property("name", "string", "Human-readable name (also becomes your destination name for this agent)",
                    true)
            .property("instructions", "string", "CLAUDE.md content for the new agent (personality, role,"
                    + " instructions)", false)
            .build();

    CreateAgent(NanoclawToolEnv env) {
        super(env, "create_agent", "Create a long-lived companion agent (research assistant, task manager,"
                + " specialist); its name becomes your destination for it. Needs permission, granted on the host."
                + " You are notified when it is ready.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        String name = Args.text(input, "name");
        if (name == null) {
            throw new Refusal("name is required");
        }
        String requestId = MessageIds.next("msg");
        ObjectNode content = Json.object();
        content.put("action", "create_agent");
        content.put("requestId", requestId);
        content.put("name", name);
        content.put("instructions", Args.text(input, "instructions"));
        OutboundRows.write(env, new OutboundMessage(requestId, MessageKind.SYSTEM, content.toString(), null, null));
        return "Creating agent \"" + name + "\". You will be notified when it is ready.";
    }
}
