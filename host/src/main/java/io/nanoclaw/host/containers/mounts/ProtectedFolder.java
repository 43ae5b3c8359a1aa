package io.nanoclaw.host.containers.mounts;

import java.nio.file.Path;

/**
 * A host folder no extra mount may lie in or contain, whatever the allowlist says.
 *
 * @param what how the rejection names it, e.g. "the install's data folder"
 */
public record ProtectedFolder(Path path, String what) {}
