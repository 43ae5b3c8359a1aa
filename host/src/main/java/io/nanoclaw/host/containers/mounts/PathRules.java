package io.nanoclaw.host.containers.mounts;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Small path helpers shared by the allowlist and the mount checks. */
final class PathRules {
    private PathRules() {}

    /**
     * {@code ~} or {@code ~/...} expanded to the user's home; null when the result is not an absolute path
     * ({@code ~other} is not supported: it would need the user database).
     */
    static Path expandHome(String raw, Path userHome) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String s = raw.strip();
        try {
            Path p;
            if (s.equals("~")) {
                p = userHome;
            } else if (s.startsWith("~/")) {
                p = userHome.resolve(s.substring(2));
            } else {
                p = Path.of(s);
            }
            return p.isAbsolute() ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * The real path when it exists, else the normalized absolute path: folders that don't exist yet (a root the
     * user will create, the data folder before first start) still compare correctly.
     */
    static Path realOrNormal(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }
}
