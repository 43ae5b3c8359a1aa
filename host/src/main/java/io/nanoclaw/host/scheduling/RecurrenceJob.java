package io.nanoclaw.host.scheduling;

import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.Sessions;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The recurrence step of the sweep (host.md 7), every 60 s over all active sessions: finished runs of recurring
 * tasks get their next occurrence. Waking the session when that occurrence comes due is the sweep's job.
 */
@Singleton
public class RecurrenceJob {
    private static final Logger LOG = Logger.getLogger(RecurrenceJob.class);

    @Inject
    Sessions sessions;
    @Inject
    Tasks tasks;

    @Scheduled(every = "60s", delayed = "5s", identity = "task-recurrence",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = io.nanoclaw.host.bootstrap.NotReady.class)
    void run() {
        for (Session s : sessions.active()) {
            try {
                int n = tasks.recur(s);
                if (n > 0) {
                    LOG.debugf("session %s: %d recurring task%s scheduled again", s.id(), n, n == 1 ? "" : "s");
                }
            } catch (RuntimeException e) {
                // One broken session must not stop the others' tasks from recurring.
                LOG.warnf("recurrence for session %s: %s", s.id(), e.getMessage());
            }
        }
    }
}
