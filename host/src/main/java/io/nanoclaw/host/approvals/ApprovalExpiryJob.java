package io.nanoclaw.host.approvals;

import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Every minute, approvals past APPROVAL_TTL are closed and their agents told (a card never just goes stale). */
@Singleton
public class ApprovalExpiryJob {
    private static final Logger LOG = Logger.getLogger(ApprovalExpiryJob.class);

    @Inject
    Approvals approvals;

    @Scheduled(every = "60s", delayed = "30s", identity = "approval-expiry",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = io.nanoclaw.host.bootstrap.NotReady.class)
    void run() {
        try {
            approvals.expireDue(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("approval expiry: %s", e.getMessage());
        }
    }
}
