package io.nanoclaw.host.containers.mounts;

import io.nanoclaw.host.containers.ContainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which of a group's extra mounts may be bound into its container (host.md 5.6, tightened). A plain class:
 * everything it looks at is passed in, so the rules are tested on temp folders without booting the host.
 *
 * <p>A mount is accepted only when all of these hold: the host path is absolute (or {@code ~/...}), exists, and is a
 * regular file or folder; it is its own real path (no symlink anywhere in it, so nothing can be re-pointed between
 * this check and docker's bind); the real path lies inside an allowed root's real path; no blocked pattern is
 * contained in any of its names or in the whole path; it neither lies in nor contains a protected folder; and its
 * container name is one safe, unused path segment. It is read-write only when it asks for that and every root
 * containing it allows it.
 */
public final class MountValidator {
    /** Where accepted mounts appear in the container. */
    public static final String CONTAINER_BASE = "/workspace/extra/";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final Path userHome;
    private final List<ProtectedFolder> protectedFolders;

    public MountValidator(Path userHome, List<ProtectedFolder> protectedFolders) {
        this.userHome = userHome;
        this.protectedFolders = List.copyOf(protectedFolders);
    }

    public MountCheck check(MountAllowlist allowlist, List<RequestedMount> requested) {
        List<String> patterns = allowlist.effectivePatterns();
        List<AllowedRoot> roots = new ArrayList<>();
        for (AllowedRoot r : allowlist.roots()) {
            // Resolved on each check: a root that is itself a symlink is the user's choice, and counts where it
            // points now.
            roots.add(new AllowedRoot(PathRules.realOrNormal(r.path()), r.allowReadWrite(), r.description()));
        }
        List<ProtectedFolder> guarded = new ArrayList<>();
        for (ProtectedFolder f : protectedFolders) {
            guarded.add(new ProtectedFolder(PathRules.realOrNormal(f.path()), f.what()));
        }
        List<ContainerSpec.Mount> accepted = new ArrayList<>();
        List<MountRejection> rejected = new ArrayList<>();
        List<String> downgraded = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (RequestedMount m : requested) {
            Path abs = PathRules.expandHome(m.hostPath(), userHome);
            String name = m.containerPath() != null ? m.containerPath()
                    : abs == null || abs.normalize().getFileName() == null ? ""
                    : abs.normalize().getFileName().toString();
            String reason = abs == null ? "the host path must be absolute or start with ~/" : nameProblem(name);
            Path real = null;
            List<AllowedRoot> containing = List.of();
            if (reason == null) {
                try {
                    real = abs.toRealPath();
                } catch (NoSuchFileException e) {
                    reason = "the host path does not exist";
                } catch (IOException e) {
                    reason = "the host path cannot be resolved: " + e.getMessage();
                }
            }
            if (reason == null) {
                containing = containing(roots, real);
                reason = pathProblem(abs.normalize(), real, containing, patterns, guarded);
            }
            if (reason == null && !names.add(name)) {
                reason = "container path '" + name + "' is already used by another extra mount";
            }
            if (reason != null) {
                rejected.add(new MountRejection(m.hostPath(), name.isEmpty() ? null : name, reason));
                continue;
            }
            boolean rootsAllowRw = containing.stream().allMatch(AllowedRoot::allowReadWrite);
            boolean readOnly = m.readonly() || !rootsAllowRw;
            if (!m.readonly() && !rootsAllowRw) {
                downgraded.add(real.toString());
            }
            accepted.add(new ContainerSpec.Mount(real.toString(), CONTAINER_BASE + name, readOnly));
        }
        return new MountCheck(accepted, rejected, downgraded);
    }

    /** Why the container name is unsafe, or null: one segment, so it can't climb out of /workspace/extra/. */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "the container path is empty (and the host path has no name to default to)";
        }
        if (!SAFE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            return "the container path '" + name + "' must be one name of letters, digits, '.', '_' or '-' "
                    + "(no '/', '..' or ':')";
        }
        return null;
    }

    private static String pathProblem(Path normal, Path real, List<AllowedRoot> containing, List<String> patterns,
                                      List<ProtectedFolder> guarded) {
        if (!real.equals(normal)) {
            return "the host path is or passes through a symlink (it resolves to " + real + "); give the real path";
        }
        if (!Files.isDirectory(real) && !Files.isRegularFile(real)) {
            // Sockets and devices (the Docker socket above all) are host access, not files to share.
            return "the host path is not a regular file or folder";
        }
        if (real.toString().indexOf(':') >= 0 || real.toString().indexOf(',') >= 0) {
            // docker-java passes binds as "host:container:mode" strings; these characters would change the meaning.
            return "the host path contains ':' or ',', which a Docker bind can't carry";
        }
        if (containing.isEmpty()) {
            return "the host path is not inside any allowed root";
        }
        String pattern = blockedBy(real, patterns);
        if (pattern != null) {
            return "the host path matches the blocked pattern '" + pattern + "'";
        }
        for (ProtectedFolder f : guarded) {
            if (real.startsWith(f.path())) {
                return "the host path lies inside " + f.what() + " (" + f.path() + ")";
            }
            if (f.path().startsWith(real)) {
                return "the host path contains " + f.what() + " (" + f.path() + ")";
            }
        }
        return null;
    }

    private static List<AllowedRoot> containing(List<AllowedRoot> roots, Path real) {
        List<AllowedRoot> out = new ArrayList<>();
        for (AllowedRoot r : roots) {
            if (real.startsWith(r.path())) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The first pattern contained in one of the path's names or in the whole path, or null (a name is part of the
     * whole path, so one test covers both). Case-insensitive: on a case-insensitive filesystem {@code .SSH} is
     * {@code .ssh}.
     */
    static String blockedBy(Path real, List<String> patterns) {
        String whole = real.toString().toLowerCase(Locale.ROOT);
        for (String p : patterns) {
            if (whole.contains(p.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }
}
