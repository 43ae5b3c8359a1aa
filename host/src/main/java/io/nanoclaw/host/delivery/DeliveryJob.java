package io.nanoclaw.host.delivery;

import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.Sessions;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The steady half of delivery: every second, drain the sessions whose container runs (host.md 1.3, "active"
 * loop). A session with nothing new costs one {@code PRAGMA data_version}.
 */
@Singleton
public class DeliveryJob {
    private static final Logger LOG = Logger.getLogger(DeliveryJob.class);

    @Inject
    Sessions sessions;
    @Inject
    DeliveryService delivery;

    @Scheduled(every = "1s", identity = "delivery", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = io.nanoclaw.host.bootstrap.NotReady.class)
    void run() {
        for (Session s : sessions.running()) {
            try {
                delivery.drain(s);
            } catch (RuntimeException e) {
                LOG.warnf("delivery of session %s: %s", s.id(), e.getMessage());
            }
        }
    }
}
