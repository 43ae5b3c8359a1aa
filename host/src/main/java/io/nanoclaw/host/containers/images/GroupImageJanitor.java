package io.nanoclaw.host.containers.images;

import io.nanoclaw.host.config.HostConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Retries what a rebuild or a group's deletion could not remove because a container still used it, and clears
 * leftovers of builds the host did not see to the end (a crash mid-build). Rare work, so a slow period.
 */
@Singleton
public class GroupImageJanitor {
    private static final Logger LOG = Logger.getLogger(GroupImageJanitor.class);

    @Inject
    HostConfig config;
    @Inject
    AgentGroupImages images;

    @Scheduled(every = "15m", delayed = "2m", identity = "group-image-janitor",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = io.nanoclaw.host.bootstrap.NotReady.class)
    void run() {
        if (!config.containersEnabled()) {
            return;
        }
        try {
            int n = images.pruneAll();
            if (n > 0) {
                LOG.infof("removed %d agent group image%s no group uses any more", n, n == 1 ? "" : "s");
            }
        } catch (RuntimeException e) {
            // No engine right now: the next run tries again.
            LOG.debugf("agent group image clean-up: %s", e.getMessage());
        }
    }
}
