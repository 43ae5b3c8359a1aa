package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.ChatContent;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;

/** send_message (agent-runner.md 3.2): a chat row to a destination, mid-turn. */
final class SendMessage extends NanoclawTool {
    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .property("to", "string", "Destination name (e.g. \"family\", \"worker-1\"). Optional if you have only"
                    + " one destination.", false)
            .property("text", "string", "Message content", true)
            .build();

    SendMessage(NanoclawToolEnv env) {
        super(env, "send_message", "Send a message to a named destination now, without waiting for the end of"
                + " your turn (e.g. a progress note). If you have only one destination, you can omit `to`.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        String text = Args.text(input, "text");
        if (text == null) {
            throw new Refusal("text is required");
        }
        Route route = Routes.resolve(env.inbound(), Args.text(input, "to"));
        long seq = OutboundRows.writeForSeq(env, new OutboundMessage(null, MessageKind.CHAT,
                ChatContent.text(text).toJsonString(Json.MAPPER), route.routing(), env.inReplyTo()));
        return "Message sent to " + route.name() + " (id: " + seq + ")";
    }
}
