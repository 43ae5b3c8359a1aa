package io.nanoclaw.host.channels;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The adapters that are running, by channel type, and why the others are not. Registered explicitly at start. */
@Singleton
public class ChannelRegistry {
    private final Map<String, ChannelAdapter> adapters = new ConcurrentHashMap<>();
    private final Map<String, ChannelStatus> notStarted = new ConcurrentHashMap<>();

    public void register(ChannelAdapter adapter) {
        adapters.put(adapter.channelType(), adapter);
        notStarted.remove(adapter.channelType());
    }

    /** An adapter that is off (not configured, or failed to start): kept for status reports only. */
    void notStarted(ChannelStatus status) {
        if (status.state() == ChannelStatus.State.FAILED) {
            adapters.remove(status.channelType());
        }
        notStarted.put(status.channelType(), status);
    }

    public Optional<ChannelAdapter> get(String channelType) {
        return Optional.ofNullable(channelType == null ? null : adapters.get(channelType));
    }

    public Iterable<ChannelAdapter> all() {
        return List.copyOf(adapters.values());
    }

    /** Every channel the host knows of, running or not, by type. */
    public List<ChannelStatus> statuses() {
        List<ChannelStatus> all = new ArrayList<>(notStarted.values());
        adapters.values().forEach(a -> all.add(a.status()));
        all.sort(Comparator.comparing(ChannelStatus::channelType));
        return all;
    }
}
