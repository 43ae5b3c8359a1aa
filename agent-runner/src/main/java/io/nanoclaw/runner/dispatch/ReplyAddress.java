package io.nanoclaw.runner.dispatch;

import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.Routing;

/** The batch's default reply address: its first row's routing, and that row as in_reply_to. */
public record ReplyAddress(Routing routing, String inReplyTo) {

    public static ReplyAddress of(InboundRow first) {
        return new ReplyAddress(first.routing(), first.id());
    }

    /** Where a batch's answer goes until destination dispatch exists. */
    @FunctionalInterface
    public interface SessionRoutingSource {
        java.util.Optional<Routing> sessionRouting() throws java.sql.SQLException;
    }

    /**
     * The first row that came from a chat. A batch of only host notes (channel 'agent', e.g. "your schedule_task
     * failed") is answered in the session's own chat, so the user hears what the agent makes of it, instead of
     * being sent back to the agent channel.
     */
    public static ReplyAddress forBatch(java.util.List<InboundRow> rows, SessionRoutingSource session)
            throws java.sql.SQLException {
        for (InboundRow r : rows) {
            if (r.routing() != null && !"agent".equals(r.routing().channelType())) {
                return of(r);
            }
        }
        java.util.Optional<Routing> home = session.sessionRouting();
        return home.map(h -> new ReplyAddress(h, rows.get(0).id())).orElseGet(() -> of(rows.get(0)));
    }
}
