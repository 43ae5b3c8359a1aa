package io.nanoclaw.host.channels;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends a {@link ChoiceCard} the way the chat's adapter can show it (buttons, or numbered text), and closes it once
 * answered: an edit where the adapter can edit, else a short follow-up message.
 */
@Singleton
public class ChoiceCards {
    private static final Logger LOG = Logger.getLogger(ChoiceCards.class);

    @Inject
    ChannelRegistry channels;
    @Inject
    ChannelNotices notices;
    @Inject
    ChannelSender sender;

    // Bumped for every card rendered: lets a typed reply skip the pending-card lookups when none can be open.
    private final java.util.concurrent.atomic.AtomicLong rendered = new java.util.concurrent.atomic.AtomicLong();
    private volatile long noneOpenAsOf = -1;

    /** The content to deliver for this card through this adapter. */
    public ObjectNode render(ChannelAdapter adapter, ChoiceCard card) {
        rendered.incrementAndGet();
        return adapter.supportsButtons() ? card.buttonsContent() : card.textContent();
    }

    /**
     * A mark taken before looking for open cards; pass it to {@link #noneOpen} when the lookups found none. Cards
     * left from an earlier run count as possibly open until the first lookup.
     */
    public long mark() {
        return rendered.get();
    }

    public void noneOpen(long mark) {
        noneOpenAsOf = mark; // a card rendered since the mark makes the mark stale, so the next reply looks again
    }

    /** Whether no card has been rendered since the lookups last found none open. */
    public boolean knownNoneOpen() {
        return noneOpenAsOf == rendered.get();
    }

    /** @return the platform's id of the card message (may be null); throws when it could not be sent */
    public String send(String channelType, String platformId, String threadId, ChoiceCard card) throws Exception {
        ChannelAdapter adapter = channels.get(channelType)
                .orElseThrow(() -> new IllegalStateException("channel " + channelType + " is not running"));
        return sender.send(adapter, platformId, threadId, new OutboundMessage(null, "chat", render(adapter, card),
                List.of()));
    }

    /** Shows the outcome: edits the card to {@code text}, or says it in the chat. Best effort. */
    public void close(String channelType, String platformId, String threadId, String platformMessageId,
                      String text) {
        var adapter = channels.get(channelType);
        if (adapter.isPresent() && adapter.get().supportsEdits() && platformMessageId != null) {
            ObjectNode edit = JsonNodeFactory.instance.objectNode().put("operation", "edit")
                    .put("messageId", platformMessageId).put("text", text);
            try {
                adapter.get().deliver(platformId, threadId, new OutboundMessage(null, "chat", edit, List.of()));
                return;
            } catch (Exception e) {
                LOG.warnf("could not edit card %s in %s:%s: %s", platformMessageId, channelType, platformId,
                        e.getMessage());
            }
        }
        notices.send(channelType, platformId, threadId, text);
    }

    public boolean canEdit(String channelType) {
        return channels.get(channelType).map(ChannelAdapter::supportsEdits).orElse(false);
    }

    /** Whether replies in this channel are taken as answers (no buttons to click). */
    public boolean answersByText(String channelType) {
        return channels.get(channelType).map(a -> !a.supportsButtons()).orElse(false);
    }
}
