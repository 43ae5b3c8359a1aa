package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;

/** edit_message (agent-runner.md 3.2): an edit operation, sent to the chat the edited message is in. */
final class EditMessage extends NanoclawTool {
    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .property("messageId", "integer", "Message ID (the numeric id shown in messages)", true)
            .property("text", "string", "New message content", true)
            .build();

    EditMessage(NanoclawToolEnv env) {
        super(env, "edit_message", "Edit a previously sent message. The edit goes to the same destination as the"
                + " original message.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        Long seq = Args.integer(input, "messageId");
        String text = Args.text(input, "text");
        if (seq == null || text == null) {
            throw new Refusal("messageId and text are required");
        }
        MessageRefs.Target target = MessageRefs.resolve(env, seq);
        ObjectNode content = Json.object();
        content.put("operation", "edit");
        content.put("messageId", target.messageId());
        content.put("text", text);
        OutboundRows.write(env, new OutboundMessage(null, MessageKind.CHAT, content.toString(), target.routing(),
                null));
        return "Message edit queued for #" + seq;
    }
}
