package io.nanoclaw.host.sessions;

/** A row the host writes into a session's messages_in. */
public record InboundRow(String id, String kind, String platformId, String channelType, String threadId,
                         String content, boolean trigger, boolean onWake, String processAfter,
                         String sourceSessionId) {

    public static InboundRow chat(String id, String kind, String platformId, String channelType, String threadId,
                                  String content, boolean trigger) {
        return new InboundRow(id, kind, platformId, channelType, threadId, content, trigger, false, null, null);
    }
}
