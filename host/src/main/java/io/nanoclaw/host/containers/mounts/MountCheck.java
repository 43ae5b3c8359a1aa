package io.nanoclaw.host.containers.mounts;

import io.nanoclaw.host.containers.ContainerSpec;
import java.util.List;

/**
 * The outcome of checking a group's extra mounts.
 *
 * @param accepted the binds to add, at /workspace/extra/&lt;name&gt;
 * @param downgraded host paths that asked for read-write but are mounted read-only (their root doesn't allow it)
 */
public record MountCheck(List<ContainerSpec.Mount> accepted, List<MountRejection> rejected, List<String> downgraded) {
    public MountCheck {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
        downgraded = List.copyOf(downgraded);
    }
}
