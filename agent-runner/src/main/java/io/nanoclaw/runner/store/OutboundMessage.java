package io.nanoclaw.runner.store;

import io.nanoclaw.protocol.ChatContent;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;

/**
 * A messages_out row to write. Id, seq and timestamp are assigned by {@link OutboundStore} at insert time.
 *
 * @param content the content column, JSON text
 */
public record OutboundMessage(String kind, String content, Routing routing, String inReplyTo) {

    public static OutboundMessage chat(String text, Routing routing, String inReplyTo) {
        return new OutboundMessage(MessageKind.CHAT, ChatContent.text(text).toJsonString(Json.MAPPER), routing,
                inReplyTo);
    }
}
