package io.nanoclaw.runner.dispatch;

import io.nanoclaw.runner.format.InternalTags;
import io.nanoclaw.runner.store.OutboundMessage;
import java.util.List;

/** The walking skeleton's dispatch: the whole answer, minus {@code <internal>} blocks, back to the batch's origin. */
public final class DirectReplyDispatcher implements ReplyDispatcher {
    @Override
    public List<OutboundMessage> dispatch(String finalText, ReplyAddress address) {
        String text = InternalTags.strip(finalText);
        if (text.isEmpty()) {
            return List.of();
        }
        return List.of(OutboundMessage.chat(text, address.routing(), address.inReplyTo()));
    }
}
