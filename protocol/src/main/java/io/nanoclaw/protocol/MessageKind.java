package io.nanoclaw.protocol;

/** messages_in.kind and messages_out.kind values. */
public final class MessageKind {
    private MessageKind() {}

    public static final String CHAT = "chat";
    public static final String CHAT_SDK = "chat-sdk";
    public static final String TASK = "task";
    public static final String WEBHOOK = "webhook";
    public static final String SYSTEM = "system";
}
