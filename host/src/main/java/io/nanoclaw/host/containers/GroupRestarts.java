package io.nanoclaw.host.containers;

import io.nanoclaw.host.delivery.AgentNotes;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.Sessions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Restarts an agent group's running containers (host.md 5.5), after its config or image changed. With a note,
 * the note is written as an {@code on_wake} row, the container stopped, and a new one started that reads the note
 * on its first poll (the agent learns why it restarted and can tell the user); without one, the containers are
 * only stopped and the next message starts a fresh one with the new settings.
 */
@Singleton
public class GroupRestarts {
    private static final Logger LOG = Logger.getLogger(GroupRestarts.class);
    static final long EXIT_WAIT_MS = 15_000;

    @Inject
    ContainerRunner containers;
    @Inject
    Sessions sessions;
    @Inject
    AgentNotes notes;

    /** @return how many containers were restarted (or stopped) */
    public int restart(String agentGroupId, String reason, String onWakeNote) {
        int n = 0;
        for (Session s : sessions.activeOf(agentGroupId)) {
            if (!containers.isRunning(s.id())) {
                continue;
            }
            if (onWakeNote != null) {
                notes.tellOnWake(s, onWakeNote);
            }
            containers.stop(s.id());
            n++;
            if (onWakeNote != null && awaitExit(s.id())) {
                // only if the session is still there: it may have been closed meanwhile
                sessions.byId(s.id()).ifPresent(containers::wake);
            }
        }
        if (n > 0) {
            LOG.infof("agent group %s: %d container(s) %s (%s)", agentGroupId, n,
                    onWakeNote != null ? "restarted" : "stopped", reason);
        }
        return n;
    }

    /**
     * Restarts one session's container (an agent's {@code ncl groups restart}: only the calling session), as
     * {@link #restart} does for each session of a group.
     *
     * @return whether a container was running
     */
    public boolean restartSession(Session s, String reason, String onWakeNote) {
        if (!containers.isRunning(s.id())) {
            return false;
        }
        if (onWakeNote != null) {
            notes.tellOnWake(s, onWakeNote);
        }
        containers.stop(s.id());
        if (onWakeNote != null && awaitExit(s.id())) {
            sessions.byId(s.id()).ifPresent(containers::wake);
        }
        LOG.infof("session %s: container %s (%s)", s.id(), onWakeNote != null ? "restarted" : "stopped", reason);
        return true;
    }

    private boolean awaitExit(String sessionId) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_WAIT_MS);
        while (containers.isRunning(sessionId)) {
            if (System.nanoTime() > deadline) {
                LOG.warnf("session %s: container still running %d ms after the stop; not restarted", sessionId,
                        EXIT_WAIT_MS);
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
