package io.nanoclaw.runner.dispatch;

import io.nanoclaw.runner.store.OutboundMessage;
import java.util.List;

/**
 * What one final answer turned into.
 *
 * @param messages the rows to write, one per deliverable block
 * @param unknownNames block names that match no destination (dropped)
 * @param scratchpad the text outside the blocks, minus {@code <internal>}: never sent
 */
public record Dispatch(List<OutboundMessage> messages, List<String> unknownNames, String scratchpad) {

    /**
     * Whether the agent should be told once that its output went nowhere: nothing was sent but it wrote
     * something meant for someone, or it addressed a name that doesn't exist.
     */
    public boolean needsNudge() {
        return !unknownNames.isEmpty() || (messages.isEmpty() && !scratchpad.isEmpty());
    }
}
