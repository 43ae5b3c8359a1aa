package io.nanoclaw.host.delivery;

/** A messages_out row as the host reads it. */
public record OutboundRow(String id, long seq, String inReplyTo, String kind, String platformId, String channelType,
                          String threadId, String content, String deliverAfter) {}
