package io.nanoclaw.runner.dispatch;

import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.Routing;

/** The batch's default reply address: its first row's routing, and that row as in_reply_to. */
public record ReplyAddress(Routing routing, String inReplyTo) {

    public static ReplyAddress of(InboundRow first) {
        return new ReplyAddress(first.routing(), first.id());
    }
}
