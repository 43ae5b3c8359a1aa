package io.nanoclaw.host.channels;

/** Where adapters hand inbound messages; the router implements it. */
@FunctionalInterface
public interface InboundSink {
    void onInbound(String channelType, String platformId, String threadId, InboundMessage message);
}
