package io.nanoclaw.runner.dispatch;

import io.nanoclaw.runner.store.OutboundMessage;
import java.sql.SQLException;
import java.util.List;

/**
 * Turns the agent's final text into outbound rows. The seam for agent-runner.md 4.2: the destination-based
 * dispatcher ({@code <message to="name">} blocks, scratchpad nudge) replaces {@link DirectReplyDispatcher} here.
 */
@FunctionalInterface
public interface ReplyDispatcher {
    List<OutboundMessage> dispatch(String finalText, ReplyAddress batchAddress) throws SQLException;
}
