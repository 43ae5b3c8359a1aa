package io.nanoclaw.host.containers.mounts;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The extra mounts refused at each agent group's latest container start, kept in memory so the operator's status
 * and doctor commands can show them next to the log lines. A start without rejections clears its group's entry.
 */
@Singleton
public class MountRejections {
    /** One group's rejections from its latest start. */
    public record Latest(String agentGroupId, Instant at, List<MountRejection> rejections) {}

    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    public void record(String agentGroupId, List<MountRejection> rejections) {
        if (rejections.isEmpty()) {
            latest.remove(agentGroupId);
        } else {
            latest.put(agentGroupId, new Latest(agentGroupId, Instant.now(), List.copyOf(rejections)));
        }
    }

    public List<MountRejection> forGroup(String agentGroupId) {
        Latest l = latest.get(agentGroupId);
        return l == null ? List.of() : l.rejections();
    }

    /** Every group with rejections, by agent group id. */
    public Map<String, Latest> all() {
        return new TreeMap<>(latest);
    }
}
