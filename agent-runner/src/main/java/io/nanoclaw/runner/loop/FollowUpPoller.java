package io.nanoclaw.runner.loop;

import io.nanoclaw.runner.agent.FollowUps;
import io.nanoclaw.runner.format.MessageFormatter;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.OutboundStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Follow-up messages for the turn in progress (agent-runner.md 1.6). Unlike upstream, the trigger gate applies
 * here too: context-only chatter waits for a message addressed to the agent instead of steering a running turn.
 * Runner commands stay pending for the outer loop (a /clear must not land inside the turn it would clear). The
 * rows claimed here join the batch: they are completed, or failed, together with it, so a turn that fails never
 * leaves a pushed message marked done.
 */
final class FollowUpPoller implements FollowUps {
    private final PendingSelector selector;
    private final OutboundStore outbound;
    private final PreTaskScripts scripts;
    private final MessageFormatter formatter;
    private final List<String> batchIds;

    FollowUpPoller(PendingSelector selector, OutboundStore outbound, PreTaskScripts scripts,
                   MessageFormatter formatter, List<String> batchIds) {
        this.selector = selector;
        this.outbound = outbound;
        this.scripts = scripts;
        this.formatter = formatter;
        this.batchIds = batchIds;
    }

    @Override
    public Optional<String> poll() {
        try {
            List<InboundRow> rows = selector.next();
            if (rows.isEmpty() || RunnerCommands.anyIn(rows) || !TriggerGate.passes(rows)) {
                return Optional.empty();
            }
            List<String> ids = new ArrayList<>(rows.size());
            rows.forEach(r -> ids.add(r.id()));
            outbound.ack(ids, AckStatus.PROCESSING);
            List<InboundRow> kept = scripts.run(rows);
            if (kept.isEmpty()) {
                return Optional.empty();
            }
            kept.forEach(r -> batchIds.add(r.id()));
            Log.info("loop", "pushed " + kept.size() + " follow-up message(s) into the running turn");
            return Optional.of(formatter.format(kept));
        } catch (SQLException | RuntimeException e) {
            // the turn goes on; the rows stay for the next batch
            Log.warn("loop", "follow-up poll failed: " + e.getMessage());
            return Optional.empty();
        }
    }
}
