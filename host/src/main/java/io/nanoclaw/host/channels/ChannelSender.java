package io.nanoclaw.host.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends one outbound message through an adapter, fitted to what the platform can show (host.md 8.2's order: edit →
 * reaction → display card → text → files): a reaction is skipped where reactions don't exist, an edit becomes a new
 * message where edits don't, a display card becomes text, long text is split at the platform's limit with the files
 * on the first chunk, and files a channel can't carry are named in the text instead of vanishing.
 */
@jakarta.inject.Singleton
public class ChannelSender {
    private static final Logger LOG = Logger.getLogger(ChannelSender.class);

    /** Rows split into chunks whose delivery failed part-way: what was sent, so a retry doesn't repeat it. */
    private record Progress(int sent, String firstId) {}

    private final java.util.Map<String, Progress> partial = new java.util.concurrent.ConcurrentHashMap<>();

    /** @return the platform id of the (first) message sent, or null when there was nothing the channel could show */
    public String send(ChannelAdapter adapter, String platformId, String threadId, OutboundMessage message)
            throws Exception {
        ChannelCapabilities caps = adapter.capabilities();
        JsonNode content = message.content() == null ? JsonNodeFactory.instance.objectNode() : message.content();
        String operation = content.path("operation").asText("");
        if (operation.equals("reaction")) {
            if (!caps.reactions()) {
                LOG.debugf("%s has no reactions: reaction on %s skipped", adapter.channelType(),
                        content.path("messageId").asText());
                return null;
            }
            return adapter.deliver(platformId, threadId, message);
        }
        if (operation.equals("edit")) {
            if (caps.edits()) {
                return adapter.deliver(platformId, threadId, message);
            }
            return sendText(adapter, caps, platformId, threadId, message, content.path("text").asText(""));
        }
        String type = content.path("type").asText("");
        if (type.equals("choice_card") && caps.buttons()) {
            return adapter.deliver(platformId, threadId, message);
        }
        String text = type.equals("card") ? DisplayCardText.of(content) : message.text();
        return sendText(adapter, caps, platformId, threadId, message, text);
    }

    private String sendText(ChannelAdapter adapter, ChannelCapabilities caps, String platformId,
                                   String threadId, OutboundMessage message, String text) throws Exception {
        List<Path> files = message.files() == null ? List.of() : message.files();
        if (!files.isEmpty() && !caps.files()) {
            StringBuilder names = new StringBuilder();
            files.forEach(f -> names.append(names.length() == 0 ? "" : ", ").append(f.getFileName()));
            text = (text.isBlank() ? "" : text + "\n\n") + "(Not sent: this chat can't receive files: " + names + ")";
            files = List.of();
        }
        if (text.isBlank() && files.isEmpty()) {
            return null; // nothing to show; an empty message would be refused by most platforms
        }
        List<String> chunks = TextChunks.split(text, caps.maxTextLength());
        if (chunks.size() == 1) {
            return adapter.deliver(platformId, threadId, new OutboundMessage(message.id(), message.kind(),
                    JsonNodeFactory.instance.objectNode().put("text", chunks.get(0)), files));
        }
        String key = message.id() == null ? null : adapter.channelType() + "|" + message.id();
        Progress done = key == null ? null : partial.remove(key);
        int start = done == null ? 0 : done.sent();
        String first = done == null ? null : done.firstId();
        for (int i = start; i < chunks.size(); i++) {
            ObjectNode c = JsonNodeFactory.instance.objectNode().put("text", chunks.get(i));
            try {
                String id = adapter.deliver(platformId, threadId,
                        new OutboundMessage(message.id(), message.kind(), c, i == 0 ? files : List.of()));
                if (i == 0) {
                    first = id;
                }
            } catch (Exception e) {
                if (key != null && i > 0) {
                    partial.put(key, new Progress(i, first)); // the retry goes on from chunk i
                }
                throw e;
            }
        }
        return first;
    }
}
