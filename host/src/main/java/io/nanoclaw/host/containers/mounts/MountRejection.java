package io.nanoclaw.host.containers.mounts;

/**
 * An extra mount that was left out of a container, and why.
 *
 * @param hostPath as the group's config asked for it (null when the entry had none)
 * @param containerPath as asked for, or the default derived from the host path (null when unknown)
 */
public record MountRejection(String hostPath, String containerPath, String reason) {}
