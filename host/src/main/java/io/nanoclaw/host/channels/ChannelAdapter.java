package io.nanoclaw.host.channels;

/**
 * One messaging platform. Adapters turn platform events into {@link InboundMessage}s for the router and deliver
 * outbound rows back. Capabilities beyond text are declared so the host can degrade gracefully.
 */
public interface ChannelAdapter {
    /** The channel_type this adapter serves (e.g. "cli", "telegram"). */
    String channelType();

    boolean supportsThreads();

    /**
     * Whether the platform shows buttons. An adapter that says yes renders a {@link ChoiceCard} content
     * ({@code type: "choice_card"}) with one button per entry of {@code buttons} and reports clicks through
     * {@link InboundSink#onAction}. Without buttons the host sends the card as numbered text and takes a reply with
     * the number (or the option's label) as the click.
     */
    default boolean supportsButtons() {
        return false;
    }

    /** Whether {@code deliver} understands {@code {operation: "edit", messageId, text}} (answered cards). */
    default boolean supportsEdits() {
        return false;
    }

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
