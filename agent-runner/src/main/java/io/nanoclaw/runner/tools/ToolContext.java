package io.nanoclaw.runner.tools;

import java.nio.file.Path;
import java.util.List;

/**
 * What a tool may touch and whom it tells it is alive.
 *
 * @param workingDir    relative paths resolve here (/workspace/agent in a container)
 * @param allowedRoots  every path a tool reads or writes must lie under one of these after resolving symlinks
 *                      (/workspace, /tmp, the home folder in a container)
 * @param liveness      told when a long tool is still working (the runner touches the heartbeat) and which tool
 *                      runs with which declared timeout (the runner writes container_state)
 */
public record ToolContext(Path workingDir, List<Path> allowedRoots, Liveness liveness) {

    /** The runner's side of a running tool's life. */
    public interface Liveness {
        void started(String tool, long declaredTimeoutMs);

        void stillWorking();

        void finished();
    }

    public static final Liveness NO_LIVENESS = new Liveness() {
        @Override
        public void started(String tool, long declaredTimeoutMs) {}

        @Override
        public void stillWorking() {}

        @Override
        public void finished() {}
    };
}
