package io.nanoclaw.host.sweep;

import io.nanoclaw.protocol.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a running container is stuck (host.md 1.4 step 3), as a pure function of its inputs so every case can be
 * tested without a container. Two rules:
 * <ul>
 *   <li>Ceiling: the heartbeat file exists and is older than max(30 min, Bash timeout). An idle runner stops
 *   touching the heartbeat, so this is also what ends a container that has nothing left to do.</li>
 *   <li>Claim: a {@code processing} claim older than max(60 s, Bash timeout) with no heartbeat since it was made.</li>
 * </ul>
 * The Bash timeout widens both limits because a long declared command legitimately produces no events.
 */
public record StuckDecision(Action action, String reason, String messageId) {
    public static final Duration CEILING = Duration.ofMinutes(30);
    public static final Duration CLAIM_STUCK = Duration.ofSeconds(60);

    public enum Action { OK, KILL }

    /** A processing_ack row: the message id and its {@code status_changed} as written by the runner. */
    public record Claim(String messageId, String claimedAt) {}

    public static final StuckDecision OK = new StuckDecision(Action.OK, null, null);

    public boolean kill() {
        return action == Action.KILL;
    }

    /**
     * @param heartbeatMtime the heartbeat file's mtime, or null when there is no file (no ceiling then; a claim
     *                       counts as having had no heartbeat since it was made)
     * @param bashTimeoutMs  the declared timeout of the Bash command running now, else 0
     */
    public static StuckDecision decide(Instant now, Instant heartbeatMtime, List<Claim> claims, long bashTimeoutMs) {
        Duration bash = Duration.ofMillis(Math.max(0, bashTimeoutMs));
        Duration ceiling = max(CEILING, bash);
        if (heartbeatMtime != null) {
            Duration quiet = Duration.between(heartbeatMtime, now);
            if (quiet.compareTo(ceiling) > 0) {
                return new StuckDecision(Action.KILL, "no heartbeat for " + quiet.toSeconds() + " s (limit "
                        + ceiling.toSeconds() + " s)", null);
            }
        }
        Duration tolerance = max(CLAIM_STUCK, bash);
        for (Claim c : claims) {
            Instant claimedAt = Timestamps.parseUtc(c.claimedAt());
            if (claimedAt == null) {
                continue; // unparseable: can't age it, and killing on garbage would be worse than waiting
            }
            Duration age = Duration.between(claimedAt, now);
            if (age.compareTo(tolerance) <= 0) {
                continue;
            }
            if (heartbeatMtime != null && heartbeatMtime.isAfter(claimedAt)) {
                continue; // the runner showed life after claiming: it is working on it
            }
            return new StuckDecision(Action.KILL, "message " + c.messageId() + " claimed " + age.toSeconds()
                    + " s ago with no heartbeat since (limit " + tolerance.toSeconds() + " s)", c.messageId());
        }
        return OK;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
