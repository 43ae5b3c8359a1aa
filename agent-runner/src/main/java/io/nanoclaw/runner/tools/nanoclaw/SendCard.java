package io.nanoclaw.runner.tools.nanoclaw;

import static io.nanoclaw.runner.tools.nanoclaw.Args.orEmpty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;

/**
 * send_card (agent-runner.md 3.4): a display card to the session's chat. The card passes through as given; the
 * host renders only URL buttons and text children.
 */
final class SendCard extends NanoclawTool {
    private static final ObjectNode SCHEMA = schema();

    SendCard(NanoclawToolEnv env) {
        super(env, "send_card", "Send a display card (title, description, text lines and URL link buttons) to the"
                + " current conversation. Buttons without a url are not shown; use ask_user_question for choices.",
                SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        JsonNode card = input == null ? null : input.get("card");
        if (card == null || !card.isObject()) {
            throw new Refusal("card is required");
        }
        String id = MessageIds.next("msg");
        ObjectNode content = Json.object();
        content.put("type", "card");
        content.set("card", card.deepCopy());
        content.put("fallbackText", orEmpty(Args.text(input, "fallbackText")));
        OutboundRows.write(env, new OutboundMessage(id, MessageKind.CHAT_SDK, content.toString(),
                SessionChat.require(env, "send a card to"), null));
        return "Card sent (id: " + id + ")";
    }

    private static ObjectNode schema() {
        ObjectNode card = Json.object();
        card.put("type", "object");
        card.put("description", "Display card: optional title, description, text children and URL link actions");
        ObjectNode props = card.putObject("properties");
        props.putObject("title").put("type", "string");
        props.putObject("description").put("type", "string");
        ObjectNode children = props.putObject("children");
        children.put("type", "array");
        children.put("description", "Text lines: strings or objects with a text field");
        ArrayNode anyOf = children.putObject("items").putArray("anyOf");
        anyOf.addObject().put("type", "string");
        ObjectNode textItem = anyOf.addObject();
        textItem.put("type", "object");
        textItem.putObject("properties").putObject("text").put("type", "string");
        textItem.putArray("required").add("text");
        ObjectNode actions = props.putObject("actions");
        actions.put("type", "array");
        ObjectNode action = actions.putObject("items");
        action.put("type", "object");
        action.put("description", "URL link button");
        ObjectNode ap = action.putObject("properties");
        ap.putObject("label").put("type", "string");
        ap.putObject("url").put("type", "string").put("description", "Web link (http or https)");
        ap.putObject("style").put("type", "string").put("description", "'primary', 'danger' or 'default'");
        action.putArray("required").add("label").add("url");
        return SchemaBuilder.object()
                .property("card", card, true)
                .property("fallbackText", "string", "Plain-text version of the card for channels that show cards"
                        + " as text", false)
                .build();
    }
}
