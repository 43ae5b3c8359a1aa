package io.nanoclaw.host.sweep;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.host.delivery.ActiveSessions;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.delivery.OutboundReader;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.Sessions;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The host sweep (host.md 1.4), every 60 s over all active sessions: deliver and sync acks, wake containers for due
 * messages, stop containers idle longer than IDLE_TIMEOUT, and close idle session-DB connections.
 */
@Singleton
public class SweepJob {
    private static final Logger LOG = Logger.getLogger(SweepJob.class);

    @Inject
    HostConfig config;
    @Inject
    Sessions sessions;
    @Inject
    DeliveryService delivery;
    @Inject
    OutboundReader reader;
    @Inject
    ContainerRunner containers;
    @Inject
    ActiveSessions active;
    @Inject
    SessionFolders folders;
    @Inject
    SessionDbs dbs;
    @Inject
    StuckSweep stuck;
    @Inject
    ClaimReset claims;
    @Inject
    io.nanoclaw.host.channels.ChannelNotices notices;

    @Scheduled(every = "60s", delayed = "5s", identity = "sweep",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = io.nanoclaw.host.bootstrap.NotReady.class)
    void run() {
        for (Session s : sessions.active()) {
            try {
                sweep(s);
            } catch (RuntimeException e) {
                LOG.warnf("sweep of session %s: %s", s.id(), e.getMessage());
            }
        }
        dbs.closeIdle(containers::isRunning);
    }

    public void sweep(Session s) {
        delivery.drain(s);
        boolean runs = containers.isRunning(s.id());
        Instant now = Instant.now();
        if (runs) {
            StuckDecision d = stuck.check(s, now);
            if (d.kill()) {
                LOG.warnf("session %s: container stuck (%s), stopping it", s.id(), d.reason());
                containers.stop(s.id());
                return;
            }
        }
        if (!runs) {
            // Before any wake: a new container clears its leftover claims, and their tries must be counted first.
            ClaimReset.Result reset = claims.resetIfStopped(s, now);
            for (ClaimReset.FailedMessage f : reset.failed()) {
                tellFailed(f);
            }
            if (reader.owed(s) > 0) {
                LOG.infof("session %s has due messages and no container: waking it", s.id());
                if (containers.wake(s)) {
                    active.markInFlight(s);
                }
            }
            return;
        }
        Duration quiet = Duration.between(lastSignOfLife(s), Instant.now());
        if (quiet.compareTo(config.idleTimeout()) > 0 && !active.isInFlight(s.id()) && reader.owed(s) == 0) {
            LOG.infof("session %s: idle for %d s (IDLE_TIMEOUT), stopping its container", s.id(), quiet.toSeconds());
            containers.stop(s.id());
        }
    }

    /** A message that crashed or stalled its agent five times: the user hears about it, once. */
    private void tellFailed(ClaimReset.FailedMessage f) {
        LOG.errorf("session %s: message %s failed after %d tries", f.sessionId(), f.messageId(), f.tries());
        if (f.channelType() != null && f.platformId() != null && !"agent".equals(f.channelType())) {
            notices.send(f.channelType(), f.platformId(), f.threadId(), "Sorry, I couldn't process your message "
                    + "after " + f.tries() + " tries (the agent stopped or got stuck each time).");
        }
    }

    /** The newer of the heartbeat file's mtime and the session's last inbound activity. */
    private Instant lastSignOfLife(Session s) {
        Instant last = Instant.EPOCH;
        Path hb = folders.heartbeat(s.agentGroupId(), s.id());
        try {
            if (Files.exists(hb)) {
                last = Files.getLastModifiedTime(hb).toInstant();
            }
        } catch (IOException ignored) {
            // no heartbeat: only last_active counts
        }
        Instant active = io.nanoclaw.protocol.Timestamps.parseUtc(s.lastActive());
        return active != null && active.isAfter(last) ? active : last;
    }
}
