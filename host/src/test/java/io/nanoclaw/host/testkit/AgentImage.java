package io.nanoclaw.host.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the container tests have what they need, the way `./nanoclaw setup` does: a Docker engine (started
 * when none answers and we may) and an up-to-date agent image built from the runner jar this same build just
 * packaged. So `mvn package` on a fresh clone runs the container tests instead of skipping them, and fails with
 * the scripts' own message when an engine can't be had.
 */
public final class AgentImage {
    private static volatile boolean ready;

    private AgentImage() {}

    public static synchronized void ensure() {
        if (ready) {
            return;
        }
        Path root = repoRoot();
        run(root, root.resolve("scripts/ensure-docker.sh").toString());
        run(root, root.resolve("src/main/docker/build-agent-image.sh").toString());
        ready = true;
    }

    private static void run(Path root, String script) {
        try {
            Process p = new ProcessBuilder("bash", script).directory(root.toFile()).inheritIO().start();
            if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(script + " failed: the container tests need a Docker engine and "
                        + "the agent image (see its output above)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }

    /** The repository root: the nearest parent holding the launcher. */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("nanoclaw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (the `nanoclaw` launcher)");
        }
        return p;
    }
}
