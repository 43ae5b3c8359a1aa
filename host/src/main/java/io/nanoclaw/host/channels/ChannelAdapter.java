package io.nanoclaw.host.channels;

import java.util.Optional;

/**
 * One messaging platform (host.md 8.1). Adapters turn platform events into {@link InboundMessage}s for the router
 * and deliver outbound messages back. Adapters are CDI beans (found at build time, no scanning at run time);
 * {@link io.nanoclaw.host.bootstrap.HostLifecycle} starts each one whose {@link #notConfigured()} is empty and logs
 * the reason once for the others.
 *
 * <p>What {@link #deliver} receives has already been fitted to {@link #capabilities()} by the host
 * ({@link ChannelSender}), so an adapter only ever sees these contents:
 * <ul>
 *   <li>{@code {text}} with {@code files} (staged copies; possibly with empty text), text at most
 *       {@code maxTextLength} characters;</li>
 *   <li>{@code {operation: "edit", messageId, text}}: only when {@code edits};</li>
 *   <li>{@code {operation: "reaction", messageId, emoji}}: only when {@code reactions};</li>
 *   <li>{@code {type: "choice_card", title, question, text, buttons: [{id, label}]}}: only when {@code buttons}.
 *       Button ids are at most 64 bytes ({@link ChoiceCard}); a click is reported through
 *       {@link InboundSink#onAction} with the id as given.</li>
 * </ul>
 * {@code messageId} is the platform's own id, as {@code deliver} returned it or as the adapter gave it in
 * {@link InboundMessage#id()}.
 */
public interface ChannelAdapter {
    /** The channel_type this adapter serves (e.g. "cli", "telegram"). */
    String channelType();

    ChannelCapabilities capabilities();

    /** Why this adapter can't start with the current config ("TELEGRAM_BOT_TOKEN is not set"), or empty. */
    default Optional<String> notConfigured() {
        return Optional.empty();
    }

    /**
     * Starts receiving. Returns promptly: a platform that can't be reached is retried in the background with
     * backoff, never by blocking or failing the host's start. A credential the platform rejects stops this adapter
     * (with a clear log line and {@link #status()}), not the host or other channels.
     */
    void start(InboundSink sink) throws Exception;

    void stop();

    boolean isConnected();

    /** Connected or not, and why. */
    default ChannelStatus status() {
        return ChannelStatus.of(channelType(), isConnected() ? ChannelStatus.State.CONNECTED
                : ChannelStatus.State.CONNECTING, "");
    }

    /**
     * Delivers one outbound message and returns the platform's id for it (or null when the platform has none).
     * Throws when the platform refused or could not be reached; delivery retries (a {@code RateLimitedException}
     * says when). Called from worker threads, never from an event loop.
     */
    String deliver(String platformId, String threadId, OutboundMessage message) throws Exception;

    /** Shows "typing…" in the chat; only called when {@code typing}. */
    default void setTyping(String platformId, String threadId) {}

    /** The platform id of a direct chat with this user handle, opening it if needed; only when {@code openDm}. */
    default Optional<String> openDm(String userHandle) throws Exception {
        return Optional.empty();
    }

    /** A human name for a chat ("#general", "Family"), when the platform can tell. */
    default Optional<String> resolveChannelName(String platformId) {
        return Optional.empty();
    }

    default boolean supportsThreads() {
        return capabilities().threads();
    }

    /**
     * Whether the platform shows buttons. An adapter that says yes renders a {@link ChoiceCard} content
     * ({@code type: "choice_card"}) with one button per entry of {@code buttons} and reports clicks through
     * {@link InboundSink#onAction}. Without buttons the host sends the card as numbered text and takes a reply with
     * the number (or the option's label) as the click.
     */
    default boolean supportsButtons() {
        return capabilities().buttons();
    }

    /** Whether {@code deliver} understands {@code {operation: "edit", messageId, text}} (answered cards). */
    default boolean supportsEdits() {
        return capabilities().edits();
    }
}
