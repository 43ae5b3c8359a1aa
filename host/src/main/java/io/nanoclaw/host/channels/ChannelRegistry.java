package io.nanoclaw.host.channels;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The adapters that are running, by channel type. Registered explicitly at start (no scanning). */
@Singleton
public class ChannelRegistry {
    private final Map<String, ChannelAdapter> adapters = new ConcurrentHashMap<>();

    public void register(ChannelAdapter adapter) {
        adapters.put(adapter.channelType(), adapter);
    }

    public Optional<ChannelAdapter> get(String channelType) {
        return Optional.ofNullable(channelType == null ? null : adapters.get(channelType));
    }

    public Iterable<ChannelAdapter> all() {
        return adapters.values();
    }
}
