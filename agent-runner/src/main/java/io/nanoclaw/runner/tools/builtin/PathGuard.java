package io.nanoclaw.runner.tools.builtin;

import io.nanoclaw.runner.tools.ToolContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves a path a tool was given and checks it lies under an allowed root. The check is on the real path
 * (symlinks followed; for a new file, the real path of its nearest existing parent), and the tool then works on
 * that real path, so a symlink swapped in later cannot redirect a write we already checked.
 */
public final class PathGuard {
    private PathGuard() {}

    public static Path resolve(ToolContext context, String raw) throws BadInput {
        if (raw == null || raw.isBlank()) {
            throw new BadInput("path is empty");
        }
        Path p;
        try {
            p = Path.of(raw);
        } catch (InvalidPathException e) {
            throw new BadInput("invalid path: " + raw);
        }
        if (!p.isAbsolute()) {
            p = context.workingDir().resolve(p);
        }
        p = p.toAbsolutePath().normalize();
        Path real;
        try {
            real = realPath(p);
        } catch (IOException e) {
            throw new BadInput("cannot resolve " + raw + ": " + e.getMessage());
        }
        for (Path root : context.allowedRoots()) {
            if (real.startsWith(realRoot(root))) {
                return real;
            }
        }
        throw new BadInput("path outside the workspace: " + raw);
    }

    private static Path realPath(Path p) throws IOException {
        if (Files.exists(p)) {
            return p.toRealPath();
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            // A dangling symlink: writing through it would create its target, wherever that is.
            throw new IOException("it is a symlink to a missing target");
        }
        Path parent = p.getParent();
        while (parent != null && !Files.exists(parent)) {
            if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(parent + " is a symlink to a missing target");
            }
            parent = parent.getParent();
        }
        if (parent == null) {
            return p;
        }
        return parent.toRealPath().resolve(parent.relativize(p));
    }

    private static Path realRoot(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }
}
