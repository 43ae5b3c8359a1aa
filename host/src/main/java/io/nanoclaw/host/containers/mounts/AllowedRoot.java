package io.nanoclaw.host.containers.mounts;

import java.nio.file.Path;

/**
 * One allowed root of the mount allowlist: extra mounts must lie inside it.
 *
 * @param path absolute, with {@code ~} already expanded (not yet resolved: the folder may appear later)
 * @param allowReadWrite whether mounts under it may be read-write when they ask for it
 * @param description the user's note, shown in logs only
 */
public record AllowedRoot(Path path, boolean allowReadWrite, String description) {}
