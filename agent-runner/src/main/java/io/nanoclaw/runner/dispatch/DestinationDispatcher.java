package io.nanoclaw.runner.dispatch;

import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.store.Destination;
import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.InboundStore;
import io.nanoclaw.runner.store.OutboundMessage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Final-text dispatch (agent-runner.md 4.2): each {@code <message to="name">} block becomes one chat row for the
 * named destination. The thread and in_reply_to come from the newest inbound row from that chat or agent, so a
 * reply lands in the thread the conversation is in; without one, no thread and the batch's first id. The
 * destinations table is read on every dispatch: the host rewrites it when wiring changes.
 */
public final class DestinationDispatcher {
    /** The runner's view of inbound.db that dispatch needs. */
    public interface Lookup {
        List<Destination> destinations() throws SQLException;

        Optional<InboundRow> newestFrom(String channelType, String platformId) throws SQLException;
    }

    private final Lookup lookup;

    public DestinationDispatcher(Lookup lookup) {
        this.lookup = lookup;
    }

    public static DestinationDispatcher over(InboundStore inbound) {
        return new DestinationDispatcher(new Lookup() {
            @Override
            public List<Destination> destinations() throws SQLException {
                return inbound.destinations();
            }

            @Override
            public Optional<InboundRow> newestFrom(String channelType, String platformId) throws SQLException {
                return inbound.newestFrom(channelType, platformId);
            }
        });
    }

    public Dispatch dispatch(String finalText, String batchFirstId) throws SQLException {
        MessageBlocks parsed = MessageBlocks.parse(finalText);
        if (!parsed.scratchpad().isEmpty()) {
            Log.info("dispatch", "scratchpad (not sent): " + abbreviate(parsed.scratchpad()));
        }
        if (parsed.blocks().isEmpty()) {
            return new Dispatch(List.of(), List.of(), parsed.scratchpad());
        }
        Map<String, Destination> byName = new HashMap<>();
        for (Destination d : lookup.destinations()) {
            byName.put(d.name(), d);
        }
        List<OutboundMessage> messages = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (MessageBlocks.Block b : parsed.blocks()) {
            Destination d = byName.get(b.to());
            if (d == null) {
                Log.warn("dispatch", "dropped a message to unknown destination \"" + b.to() + "\"");
                unknown.add(b.to());
                continue;
            }
            if (b.body().isEmpty()) {
                Log.info("dispatch", "skipped an empty message to " + b.to());
                continue;
            }
            messages.add(addressed(d, b.body(), batchFirstId));
        }
        return new Dispatch(messages, unknown, parsed.scratchpad());
    }

    private OutboundMessage addressed(Destination d, String body, String batchFirstId) throws SQLException {
        String channelType = d.isAgent() ? "agent" : d.channelType();
        String platformId = d.isAgent() ? d.agentGroupId() : d.platformId();
        Optional<InboundRow> newest = lookup.newestFrom(channelType, platformId);
        String thread = d.isAgent() ? null : newest.map(InboundRow::threadId).orElse(null);
        String inReplyTo = newest.map(InboundRow::id).orElse(batchFirstId);
        return OutboundMessage.chat(body, d.routing(thread), inReplyTo);
    }

    private static String abbreviate(String s) {
        String flat = s.replace('\n', ' ');
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
    }
}
