package io.nanoclaw.runner.store;

import io.nanoclaw.protocol.ChatContent;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;

/**
 * A messages_out row to write. Seq and timestamp are assigned by {@link OutboundStore} at insert time.
 *
 * @param id the row id, or null for a fresh {@code msg-…} id (tools that announce an id before writing, such as
 *           send_file whose outbox folder is named after it, or task and request ids, pass their own)
 * @param content the content column, JSON text
 */
public record OutboundMessage(String id, String kind, String content, Routing routing, String inReplyTo) {

    public OutboundMessage(String kind, String content, Routing routing, String inReplyTo) {
        this(null, kind, content, routing, inReplyTo);
    }

    public static OutboundMessage chat(String text, Routing routing, String inReplyTo) {
        return new OutboundMessage(MessageKind.CHAT, ChatContent.text(text).toJsonString(Json.MAPPER), routing,
                inReplyTo);
    }
}
