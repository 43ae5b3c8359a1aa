package io.nanoclaw.host.channels;

/**
 * How an adapter is doing, for {@code ncl status} and {@code ncl doctor}: {@code detail} says why when it is not
 * connected ("TELEGRAM_BOT_TOKEN is not set", "token rejected (401)", "reconnecting in 8 s after: 502").
 */
public record ChannelStatus(String channelType, State state, String detail) {
    public enum State { NOT_CONFIGURED, CONNECTING, CONNECTED, FAILED, STOPPED }

    public static ChannelStatus of(String channelType, State state, String detail) {
        return new ChannelStatus(channelType, state, detail == null ? "" : detail);
    }
}
