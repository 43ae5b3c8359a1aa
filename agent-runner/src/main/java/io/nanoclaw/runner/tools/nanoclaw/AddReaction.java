package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;

/** add_reaction (agent-runner.md 3.2): a reaction operation, sent to the chat the message is in. */
final class AddReaction extends NanoclawTool {
    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .property("messageId", "integer", "Message ID (the numeric id shown in messages)", true)
            .property("emoji", "string", "Emoji shortcode (e.g. thumbs_up, heart, check)", true)
            .build();

    AddReaction(NanoclawToolEnv env) {
        super(env, "add_reaction", "Add an emoji reaction to a message.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        Long seq = Args.integer(input, "messageId");
        String emoji = Args.text(input, "emoji");
        if (seq == null || emoji == null) {
            throw new Refusal("messageId and emoji are required");
        }
        MessageRefs.Target target = MessageRefs.resolve(env, seq);
        ObjectNode content = Json.object();
        content.put("operation", "reaction");
        content.put("messageId", target.messageId());
        content.put("emoji", emoji);
        OutboundRows.write(env, new OutboundMessage(null, MessageKind.CHAT, content.toString(), target.routing(),
                null));
        return "Reaction queued for #" + seq;
    }
}
