package io.nanoclaw.host.containers.mounts;

/**
 * One entry of container_configs.additional_mounts, as stored.
 *
 * @param containerPath null when the entry leaves it to the default (the host path's last name)
 * @param readonly true unless the entry says {@code "readonly": false}
 */
public record RequestedMount(String hostPath, String containerPath, boolean readonly) {}
