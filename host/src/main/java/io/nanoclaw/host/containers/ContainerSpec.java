package io.nanoclaw.host.containers;

import java.util.List;
import java.util.Map;

/** Everything needed to start one agent container. */
public record ContainerSpec(String name, String image, Map<String, String> env, List<Mount> mounts,
                            Map<String, String> labels, long memoryBytes, double cpus, long pidsLimit, int uid) {

    /** A bind mount from a host path to a container path. */
    public record Mount(String hostPath, String containerPath, boolean readOnly) {}
}
