package io.nanoclaw.host.channels;

/**
 * One messaging platform. Adapters turn platform events into {@link InboundMessage}s for the router and deliver
 * outbound rows back. Capabilities beyond text are declared so the host can degrade gracefully.
 */
public interface ChannelAdapter {
    /** The channel_type this adapter serves (e.g. "cli", "telegram"). */
    String channelType();

    boolean supportsThreads();

    /** Starts receiving; returns once the adapter is listening. */
    void start(InboundSink sink) throws Exception;

    void stop();

    boolean isConnected();

    /**
     * Delivers one outbound message and returns the platform's id for it (or null when the platform has none).
     * Throws when the platform refused or could not be reached; delivery retries.
     */
    String deliver(String platformId, String threadId, OutboundMessage message) throws Exception;

    /** Optional: shows "typing…" in the chat. */
    default void setTyping(String platformId, String threadId) {}
}
