package io.nanoclaw.host.sweep;

import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * Step 3 of the sweep for one session whose container runs: gathers the inputs and asks {@link StuckDecision}.
 * It only decides; the caller stops the container on KILL and, once it has exited, runs {@link ClaimReset}.
 */
@Singleton
public class StuckSweep {
    @Inject
    LivenessReader liveness;

    public StuckDecision check(Session s, Instant now) {
        return StuckDecision.decide(now, liveness.heartbeatMtime(s), liveness.processingClaims(s),
                liveness.bashTimeoutMs(s));
    }
}
