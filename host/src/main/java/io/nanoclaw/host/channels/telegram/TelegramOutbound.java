package io.nanoclaw.host.channels.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.http.Multipart;
import io.nanoclaw.host.delivery.UndeliverableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Renders the four outbound shapes (ChannelAdapter's javadoc) as Bot API calls: sendMessage (with an inline keyboard
 * for a choice card), editMessageText, setMessageReaction, sendPhoto / sendDocument. Plain text, no parse_mode, so
 * an agent's stray {@code *} or {@code _} can never make Telegram refuse a message. A refusal (400, 403: no such
 * chat, bot blocked, bad content) is an {@link UndeliverableException}; outages and 429s pass through as
 * PlatformHttp classified them.
 */
final class TelegramOutbound {
    private static final Logger LOG = Logger.getLogger(TelegramOutbound.class);
    static final int MAX_TEXT = 4096;
    static final int MAX_CAPTION = 1024;
    /** sendPhoto takes photos up to 10 MB; bigger images go as documents. */
    static final long MAX_PHOTO_BYTES = 10L << 20;

    private final TelegramApi api;

    TelegramOutbound(TelegramApi api) {
        this.api = api;
    }

    String deliver(String platformId, String threadId, OutboundMessage message) throws Exception {
        JsonNode content = message.content() == null ? JsonNodeFactory.instance.objectNode() : message.content();
        try {
            String op = content.path("operation").asText("");
            if (op.equals("edit")) {
                return edit(platformId, content);
            }
            if (op.equals("reaction")) {
                react(platformId, content);
                return null;
            }
            if ("choice_card".equals(content.path("type").asText())) {
                return card(platformId, threadId, content);
            }
            return textAndFiles(platformId, threadId, message.text(), message.files());
        } catch (TelegramApiException e) {
            if (e.refusal()) {
                throw new UndeliverableException("Telegram refused it: " + e.description());
            }
            throw e;
        }
    }

    void typing(String platformId, String threadId) throws IOException {
        ObjectNode p = chat(platformId, threadId).put("action", "typing");
        api.call("sendChatAction", p, java.time.Duration.ofSeconds(10));
    }

    private String edit(String platformId, JsonNode content) throws Exception {
        long messageId = messageId(content);
        String text = content.path("text").asText("");
        if (text.isBlank()) {
            throw new UndeliverableException("an edit without text");
        }
        ObjectNode p = chat(platformId, null).put("message_id", messageId).put("text", fit(text, MAX_TEXT));
        // an answered card keeps no buttons
        p.putObject("reply_markup").putArray("inline_keyboard");
        try {
            api.call("editMessageText", p);
        } catch (TelegramApiException e) {
            if (!e.description().contains("message is not modified")) {
                throw e;
            }
        }
        return Long.toString(messageId);
    }

    private void react(String platformId, JsonNode content) throws Exception {
        long messageId = messageId(content);
        String emoji = content.path("emoji").asText("");
        if (emoji.isBlank()) {
            throw new UndeliverableException("a reaction without an emoji");
        }
        ObjectNode p = chat(platformId, null).put("message_id", messageId);
        p.putArray("reaction").addObject().put("type", "emoji").put("emoji", emoji);
        api.call("setMessageReaction", p);
    }

    private String card(String platformId, String threadId, JsonNode content) throws Exception {
        String text = content.path("text").asText("");
        if (text.isBlank()) {
            text = (content.path("title").asText("") + "\n\n" + content.path("question").asText("")).strip();
        }
        ObjectNode p = chat(platformId, threadId).put("text", fit(text.isBlank() ? "?" : text, MAX_TEXT));
        ArrayNode rows = p.putObject("reply_markup").putArray("inline_keyboard");
        for (JsonNode b : content.path("buttons")) {
            String id = b.path("id").asText("");
            if (id.isEmpty()) {
                continue;
            }
            rows.addArray().addObject().put("text", b.path("label").asText(id)).put("callback_data", id);
        }
        return idOf(api.call("sendMessage", p));
    }

    private String textAndFiles(String platformId, String threadId, String text, List<Path> files)
            throws Exception {
        boolean hasText = !text.isBlank();
        if (files == null || files.isEmpty()) {
            if (!hasText) {
                LOG.debugf("telegram: nothing to send to %s (no text, no files)", platformId);
                return null;
            }
            return sendText(platformId, threadId, text);
        }
        boolean caption = hasText && text.length() <= MAX_CAPTION;
        String first = null;
        if (hasText && !caption) {
            first = sendText(platformId, threadId, text);
        }
        for (int i = 0; i < files.size(); i++) {
            String id = sendFile(platformId, threadId, files.get(i), i == 0 && caption ? text : null);
            if (first == null) {
                first = id;
            }
        }
        return first;
    }

    /** One sendMessage per 4096 characters (the host splits at its 4000 already; this is the backstop). */
    private String sendText(String platformId, String threadId, String text) throws IOException {
        String first = null;
        for (String chunk : chunks(text, MAX_TEXT)) {
            String id = idOf(api.call("sendMessage", chat(platformId, threadId).put("text", chunk)));
            if (first == null) {
                first = id;
            }
        }
        return first;
    }

    private String sendFile(String platformId, String threadId, Path file, String caption) throws IOException {
        boolean photo = isPhoto(file);
        try {
            return idOf(api.upload(photo ? "sendPhoto" : "sendDocument", form(platformId, threadId, file, caption,
                    photo ? "photo" : "document")));
        } catch (TelegramApiException e) {
            if (!photo || !e.refusal()) {
                throw e;
            }
            // Telegram refuses some images as photos (dimensions, format): the file itself still goes
            LOG.debugf("telegram: sendPhoto refused (%s); sending %s as a document", e.description(),
                    file.getFileName());
            return idOf(api.upload("sendDocument", form(platformId, threadId, file, caption, "document")));
        }
    }

    private static Multipart form(String platformId, String threadId, Path file, String caption, String field)
            throws IOException {
        Multipart form = new Multipart().field("chat_id", platformId);
        if (threadId != null) {
            form.field("message_thread_id", threadId);
        }
        if (caption != null) {
            form.field("caption", caption);
        }
        return form.file(field, file);
    }

    static boolean isPhoto(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean imageName = n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".webp");
        try {
            return imageName && Files.size(file) <= MAX_PHOTO_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    /** chat_id (a number where it is one) and message_thread_id for a forum topic. */
    private static ObjectNode chat(String platformId, String threadId) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        if (platformId.matches("-?[0-9]{1,19}")) {
            p.put("chat_id", Long.parseLong(platformId));
        } else {
            p.put("chat_id", platformId);
        }
        if (threadId != null && threadId.matches("[0-9]{1,19}")) {
            p.put("message_thread_id", Long.parseLong(threadId));
        }
        return p;
    }

    /** The Telegram message id; an edited message's id ("12.e1700000000") names the message itself (12). */
    private static long messageId(JsonNode content) throws UndeliverableException {
        String id = content.path("messageId").asText("");
        int dot = id.indexOf(".e");
        if (dot > 0) {
            id = id.substring(0, dot);
        }
        if (!id.matches("[0-9]{1,19}")) {
            throw new UndeliverableException("'" + id + "' is not a Telegram message id");
        }
        return Long.parseLong(id);
    }

    private static String idOf(JsonNode message) {
        JsonNode id = message == null ? null : message.get("message_id");
        return id == null || id.isNull() ? null : id.asText();
    }

    static String fit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Pieces of at most {@code max} characters, cut at a line break or space where one is near. */
    static List<String> chunks(String text, int max) {
        List<String> out = new ArrayList<>();
        String rest = text;
        while (rest.length() > max) {
            int cut = rest.lastIndexOf('\n', max);
            if (cut < max / 2) {
                cut = rest.lastIndexOf(' ', max);
            }
            if (cut < max / 2) {
                cut = max;
                if (Character.isHighSurrogate(rest.charAt(cut - 1))) {
                    cut--;
                }
            }
            out.add(rest.substring(0, cut));
            rest = rest.substring(cut).stripLeading();
        }
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        return out;
    }
}
