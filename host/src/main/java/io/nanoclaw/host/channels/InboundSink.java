package io.nanoclaw.host.channels;

/** Where adapters hand inbound messages and button clicks; the router implements it. */
@FunctionalInterface
public interface InboundSink {
    void onInbound(String channelType, String platformId, String threadId, InboundMessage message);

    /** A button on a {@link ChoiceCard} was clicked. Adapters without buttons never call it. */
    default void onAction(String channelType, String platformId, String threadId, ActionEvent action) {}
}
