package io.nanoclaw.runner.loop;

import io.nanoclaw.runner.store.InboundRow;
import java.util.List;

/**
 * The accumulate gate: trigger=0 rows are context only (say, group chatter the agent wasn't addressed in). They
 * wait, pending and unacked, until a trigger=1 row arrives, and then go along with it in one batch.
 */
public final class TriggerGate {
    private TriggerGate() {}

    public static boolean passes(List<InboundRow> batch) {
        for (InboundRow r : batch) {
            if (r.trigger()) {
                return true;
            }
        }
        return false;
    }
}
