package io.nanoclaw.host.channels;

/**
 * A message as an adapter saw it. {@code content} is the JSON object stored in messages_in.content
 * ({@code text}, {@code sender}, {@code senderId}, attachments…); {@code id} is the platform's message id.
 */
public record InboundMessage(String id, String kind, String content, String timestamp, boolean isMention,
                             boolean isGroup, String senderHandle, String senderName) {}
