package io.nanoclaw.host.sweep;

import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.protocol.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Step 4 of the sweep (host.md 1.4): a container that is gone left messages it had claimed ({@code processing}) but
 * never finished. Each still-pending row gets another try after a back-off (5, 10, 20, 40, 80 s), and after 5 tries
 * it is marked {@code failed} so one poison message can't wake a crashing container forever.
 *
 * <p>Unlike the original, the host does not delete the claims: it never writes outbound.db (decisions.md). The
 * runner deletes its own leftover {@code processing} acks when it starts, which makes the row selectable again.
 * Until then the stale claim stays visible to every sweep, so a claim must be counted once only: a reset sets
 * {@code process_after} later than the claim, while a new claim is always made at or after {@code process_after}
 * (the runner only selects due rows). "process_after later than the claim" therefore means "this claim was already
 * counted", and it survives host restarts, unlike an in-memory set.
 *
 * <p>Run it before the sweep decides to wake the session: a wake first would start a container that drops its
 * leftover claims, so a message that crashes the runner every time would never have its tries counted.
 */
@Singleton
public class ClaimReset {
    private static final Logger LOG = Logger.getLogger(ClaimReset.class);
    public static final int MAX_TRIES = 5;
    static final Duration BASE_BACKOFF = Duration.ofSeconds(5);

    @Inject
    SessionDbs dbs;
    @Inject
    LivenessReader liveness;
    @Inject
    ContainerRunner containers;

    /** A row given up on after {@value #MAX_TRIES} tries, with the routing needed to tell the user. */
    public record FailedMessage(String agentGroupId, String sessionId, String messageId, String kind,
                                String channelType, String platformId, String threadId, String content,
                                String sourceSessionId, int tries) {}

    /** What one pass did: rows given another try, and rows now failed (the caller tells the user about those). */
    public record Result(int retried, List<FailedMessage> failed) {
        public static final Result NONE = new Result(0, List.of());

        /** Claims acted on in this pass (retried or failed). */
        public int count() {
            return retried + failed.size();
        }
    }

    /** Resets the session's stale claims, but only while its container does not run (a live one owns them). */
    public Result resetIfStopped(Session s, Instant now) {
        if (containers.isRunning(s.id())) {
            return Result.NONE;
        }
        List<StuckDecision.Claim> claims = liveness.processingClaims(s);
        if (claims.isEmpty()) {
            return Result.NONE;
        }
        Result r = dbs.withInbound(s.agentGroupId(), s.id(), c -> SessionDb.inImmediateTransaction(c, () -> {
            int retried = 0;
            List<FailedMessage> failed = new ArrayList<>();
            for (StuckDecision.Claim claim : claims) {
                Instant claimedAt = Timestamps.parseUtc(claim.claimedAt());
                if (claimedAt == null) {
                    // Can't tell whether it was counted already; the runner releases it at its next start anyway.
                    LOG.debugf("session %s: claim on %s has an unreadable time %s, skipped", s.id(),
                            claim.messageId(), claim.claimedAt());
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT tries, process_after, kind, channel_type, "
                        + "platform_id, thread_id, content, source_session_id FROM messages_in "
                        + "WHERE id = ? AND status = 'pending'")) {
                    ps.setString(1, claim.messageId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            continue; // gone, or already settled by an ack sync
                        }
                        int tries = rs.getInt(1);
                        Instant processAfter = Timestamps.parseUtc(rs.getString(2));
                        if (processAfter != null && processAfter.isAfter(now)) {
                            continue; // already waiting for its next try
                        }
                        if (processAfter != null && processAfter.isAfter(claimedAt)) {
                            continue; // reset after this very claim in an earlier sweep: count it once
                        }
                        if (tries >= MAX_TRIES) {
                            failed.add(new FailedMessage(s.agentGroupId(), s.id(), claim.messageId(), rs.getString(3),
                                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                                    rs.getString(8), tries));
                        } else {
                            retry(c, claim.messageId(), nextTry(now, tries));
                            retried++;
                        }
                    }
                }
            }
            for (FailedMessage f : failed) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE messages_in SET status = 'failed' WHERE id = ? AND status = 'pending'")) {
                    ps.setString(1, f.messageId());
                    ps.executeUpdate();
                }
            }
            return new Result(retried, List.copyOf(failed));
        }));
        if (r.retried() > 0) {
            LOG.infof("session %s: %d message(s) left unfinished by a stopped container, retrying after a back-off",
                    s.id(), r.retried());
        }
        for (FailedMessage f : r.failed()) {
            LOG.warnf("session %s: message %s failed after %d tries", s.id(), f.messageId(), f.tries());
        }
        return r;
    }

    /**
     * now + 5 s * 2^tries, on a whole second: the runner's claim times are whole seconds (datetime('now')), and a
     * fractional process_after could sort after a claim made in the same second, which would defeat the
     * count-once check above.
     */
    static Instant nextTry(Instant now, int tries) {
        return now.truncatedTo(ChronoUnit.SECONDS).plus(BASE_BACKOFF.multipliedBy(1L << tries));
    }

    private static void retry(Connection c, String messageId, Instant processAfter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE messages_in SET tries = tries + 1, process_after = ? WHERE id = ? AND status = 'pending'")) {
            ps.setString(1, Timestamps.iso(processAfter));
            ps.setString(2, messageId);
            ps.executeUpdate();
        }
    }
}
