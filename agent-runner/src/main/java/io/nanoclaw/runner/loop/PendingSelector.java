package io.nanoclaw.runner.loop;

import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.InboundStore;
import io.nanoclaw.runner.store.OutboundStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The next batch, as upstream's getPendingMessages picks it: the newest N pending rows, minus those this runner
 * already acked (any status; the host syncs statuses later), in chronological order. {@code on_wake} rows are
 * offered on the first poll only, so they reach a freshly woken container and no other.
 */
public final class PendingSelector {
    private final InboundStore inbound;
    private final OutboundStore outbound;
    private final int limit;
    private boolean firstPoll = true;

    public PendingSelector(InboundStore inbound, OutboundStore outbound, int limit) {
        this.inbound = inbound;
        this.outbound = outbound;
        this.limit = limit;
    }

    public List<InboundRow> next() throws SQLException {
        List<InboundRow> newest = inbound.pendingNewestFirst(firstPoll, limit);
        firstPoll = false;
        if (newest.isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(newest.size());
        newest.forEach(r -> ids.add(r.id()));
        Set<String> acked = outbound.ackedAmong(ids);
        List<InboundRow> batch = new ArrayList<>(newest.size());
        for (int i = newest.size() - 1; i >= 0; i--) {
            InboundRow r = newest.get(i);
            if (!acked.contains(r.id())) {
                batch.add(r);
            }
        }
        return batch;
    }
}
