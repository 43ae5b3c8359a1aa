package io.nanoclaw.host.containers.mounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The mount allowlist file as the host sees it right now (host.md 5.6). A missing file is looked for again on every
 * call, so the user can create it without a restart. A file that doesn't parse is remembered with its mtime (and
 * size and inode) and not read again until they change. A file that lies inside an allowed root or inside the
 * install home is refused as a whole: an agent given such a mount, or one writing its group folder, could rewrite
 * its own permissions.
 */
public final class AllowlistFile {
    private static final Logger LOG = Logger.getLogger(AllowlistFile.class);

    /** Either an allowlist to use, or why every extra mount is refused. */
    public record State(MountAllowlist allowlist, String problem) {
        public boolean ok() {
            return allowlist != null;
        }
    }

    /**
     * The file's identity for the cache: its mtime, plus size and inode, because mtimes are only as fine as the
     * kernel's clock tick and two quick saves can share one.
     */
    private record Stamp(Path real, FileTime mtime, long size, Object inode) {}

    /** The last parse, valid while the file's stamp stays the same. */
    private record Parsed(Stamp stamp, MountAllowlist allowlist, String error) {}

    private final Path file;
    private final Path installHome;
    private final Path userHome;
    private Parsed parsed;
    private String lastLogged;
    private int reads;

    public AllowlistFile(Path file, Path installHome, Path userHome) {
        this.file = file.toAbsolutePath().normalize();
        this.installHome = installHome.toAbsolutePath().normalize();
        this.userHome = userHome;
    }

    public Path path() {
        return file;
    }

    /** How often the file's content was read; lets tests see the cache work. */
    synchronized int reads() {
        return reads;
    }

    public synchronized State current() {
        State s = load();
        if (!s.ok() && !s.problem().equals(lastLogged)) {
            // Once per change, not once per spawn: the rejections of each spawn carry the reason anyway.
            LOG.warnf("mount allowlist refused, so no extra mounts: %s", s.problem());
        }
        lastLogged = s.ok() ? null : s.problem();
        return s;
    }

    private State load() {
        if (!Files.exists(file)) {
            parsed = null;
            return new State(null, "no mount allowlist at " + file);
        }
        Path real;
        Stamp stamp;
        try {
            real = file.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return new State(null, "the mount allowlist " + file + " is not a regular file");
            }
            stamp = new Stamp(real, a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (IOException e) {
            return new State(null, "cannot read the mount allowlist " + file + ": " + e.getMessage());
        }
        if (parsed == null || !parsed.stamp().equals(stamp)) {
            parsed = parse(stamp);
        }
        if (parsed.error() != null) {
            return new State(null, parsed.error());
        }
        // Checked on every call, not cached: roots the user creates later change the answer, not the file.
        String misplaced = misplaced(parsed.allowlist(), real);
        return misplaced != null ? new State(null, misplaced) : new State(parsed.allowlist(), null);
    }

    private Parsed parse(Stamp stamp) {
        try {
            reads++;
            String json = Files.readString(stamp.real(), StandardCharsets.UTF_8);
            return new Parsed(stamp, AllowlistParser.parse(json, userHome), null);
        } catch (IllegalArgumentException e) {
            return new Parsed(stamp, null, "cannot parse the mount allowlist " + file + ": " + e.getMessage());
        } catch (IOException e) {
            // Not remembered (a stamp no file has): a read error may be passing, e.g. permissions being fixed.
            return new Parsed(new Stamp(stamp.real(), FileTime.fromMillis(-1), -1, null), null,
                    "cannot read the mount allowlist " + file + ": " + e.getMessage());
        }
    }

    /**
     * Why the file's place makes it unsafe, or null. Both the configured path and the real path count: a symlink
     * inside a mountable folder can be re-pointed by whoever writes that folder.
     */
    private String misplaced(MountAllowlist allowlist, Path real) {
        Set<Path> places = new LinkedHashSet<>();
        places.add(file);
        places.add(PathRules.realOrNormal(file.getParent()).resolve(file.getFileName()));
        places.add(real);
        Path home = PathRules.realOrNormal(installHome);
        for (Path p : places) {
            if (p.startsWith(home) || p.startsWith(installHome)) {
                return "the mount allowlist " + file + " lies inside the install home " + installHome
                        + "; move it elsewhere (e.g. ~/.config/nanoclaw/)";
            }
            for (AllowedRoot r : allowlist.roots()) {
                if (p.startsWith(PathRules.realOrNormal(r.path())) || p.startsWith(r.path())) {
                    return "the mount allowlist " + file + " lies inside its own allowed root " + r.path()
                            + ", so a mount could change it; narrow the root or move the file";
                }
            }
        }
        return null;
    }
}
