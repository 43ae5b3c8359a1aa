package io.nanoclaw.runner.store;

/** Where a row came from or goes to: the (platform_id, channel_type, thread_id) columns of both tables. */
public record Routing(String platformId, String channelType, String threadId) {
}
