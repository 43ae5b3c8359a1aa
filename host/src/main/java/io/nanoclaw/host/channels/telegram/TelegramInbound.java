package io.nanoclaw.host.channels.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.protocol.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a Telegram {@code Message} into what the router takes: chat id as platform id, the forum topic as thread,
 * the mention signal, sender, reply context and downloaded files. Anything it can't use (a service message, a
 * channel post, a message without a chat or sender) is empty, never an exception; only an outage while fetching a
 * file is thrown, so the update is fetched again instead of losing the file.
 */
final class TelegramInbound {
    private static final Logger LOG = Logger.getLogger(TelegramInbound.class);
    /** Bots may download files of at most 20 MB through the Bot API; the host takes at most 25 MiB. */
    static final long MAX_DOWNLOAD_BYTES = Math.min(20L << 20, 25L << 20);
    static final String TOO_LARGE = "The file was not saved: too large";

    /** Who the bot is, from getMe: for @mentions, text mentions and replies to it. */
    record Bot(long id, String username) {}

    /** A message for {@code sink.onInbound}. */
    record Mapped(String platformId, String threadId, InboundMessage message, boolean isPrivate, String text) {}

    private final TelegramApi api;
    private final String channelType;

    TelegramInbound(TelegramApi api, String channelType) {
        this.api = api;
        this.channelType = channelType;
    }

    Optional<Mapped> map(JsonNode m, boolean edited, Bot bot) throws IOException {
        if (m == null || !m.isObject()) {
            return Optional.empty();
        }
        JsonNode chat = m.path("chat");
        JsonNode from = m.path("from");
        if (!chat.path("id").isIntegralNumber() || !m.path("message_id").isIntegralNumber()
                || !from.path("id").isIntegralNumber()) {
            LOG.debugf("telegram: a message without chat, id or sender: skipped");
            return Optional.empty();
        }
        String chatType = chat.path("type").asText("");
        boolean isPrivate = chatType.equals("private");
        if (!isPrivate && !chatType.equals("group") && !chatType.equals("supergroup")) {
            LOG.debugf("telegram: a message in a %s chat: skipped", chatType);
            return Optional.empty();
        }
        if (edited && !m.path("edit_date").isIntegralNumber()) {
            return Optional.empty();
        }
        String platformId = chat.path("id").asText();
        String messageId = m.path("message_id").asText();
        String threadId = m.path("is_topic_message").asBoolean(false) && m.path("message_thread_id")
                .isIntegralNumber() ? m.path("message_thread_id").asText() : null;

        boolean captioned = !m.hasNonNull("text");
        String text = textOf(m);
        JsonNode entities = captioned ? m.path("caption_entities") : m.path("entities");
        ArrayNode attachments = attachments(m, messageId);
        if (text.isEmpty() && m.path("sticker").path("emoji").isTextual()) {
            text = m.path("sticker").path("emoji").asText(); // a sticker says about as much as its emoji
        }
        if (text.isEmpty() && attachments.isEmpty()) {
            LOG.debugf("telegram: message %s in %s has nothing to pass on (service message or unsupported "
                    + "content): skipped", messageId, platformId);
            return Optional.empty();
        }
        JsonNode reply = m.path("reply_to_message");
        boolean realReply = reply.isObject() && !reply.has("forum_topic_created")
                && !(threadId != null && reply.path("message_id").asText("").equals(threadId));
        boolean mention = isPrivate || mentions(text, entities, bot)
                || (realReply && bot != null && reply.path("from").path("id").asLong(-1) == bot.id());

        String handle = from.path("id").asText();
        String name = displayName(from);
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("text", edited ? "(edited) " + text : text);
        content.put("sender", name);
        content.put("senderId", channelType + ":" + handle);
        if (!attachments.isEmpty()) {
            content.set("attachments", attachments);
        }
        if (realReply && reply.path("message_id").isIntegralNumber()) {
            ObjectNode r = content.putObject("replyTo");
            r.put("id", reply.path("message_id").asText());
            String replyText = textOf(reply);
            if (!replyText.isEmpty()) {
                r.put("text", replyText);
            }
            if (reply.path("from").isObject()) {
                r.put("sender", displayName(reply.path("from")));
            }
        }
        if (edited) {
            content.put("edited", true);
        }
        long when = edited ? m.path("edit_date").asLong() : m.path("date").asLong(0);
        String ts = Timestamps.iso(when > 0 ? Instant.ofEpochSecond(when) : Instant.now());
        // an edit gets its own id, so the router does not take it for the original again
        String id = edited ? messageId + ".e" + m.path("edit_date").asLong() : messageId;
        return Optional.of(new Mapped(platformId, threadId, new InboundMessage(id, "chat", content.toString(), ts,
                mention, !isPrivate, handle, name), isPrivate, text));
    }

    static String textOf(JsonNode m) {
        if (m.path("text").isTextual()) {
            return m.path("text").asText();
        }
        return m.path("caption").isTextual() ? m.path("caption").asText() : "";
    }

    /** "First Last", else the username, else the id. */
    static String displayName(JsonNode user) {
        String first = user.path("first_name").asText("").strip();
        String last = user.path("last_name").asText("").strip();
        String full = (first + " " + last).strip();
        if (!full.isEmpty()) {
            return full;
        }
        String username = user.path("username").asText("").strip();
        return username.isEmpty() ? user.path("id").asText("someone") : username;
    }

    /** An @mention of the bot, a text mention of it, or a /command@bot addressed to it. */
    static boolean mentions(String text, JsonNode entities, Bot bot) {
        if (bot == null || !entities.isArray()) {
            return false;
        }
        String at = bot.username() == null ? null : "@" + bot.username().toLowerCase(Locale.ROOT);
        for (JsonNode e : entities) {
            String type = e.path("type").asText("");
            if (type.equals("text_mention")) {
                if (e.path("user").path("id").asLong(-1) == bot.id()) {
                    return true;
                }
                continue;
            }
            if (at == null || !(type.equals("mention") || type.equals("bot_command"))) {
                continue;
            }
            int off = e.path("offset").asInt(-1);
            int len = e.path("length").asInt(-1);
            // offsets count UTF-16 code units, as Java strings do
            if (off < 0 || len <= 0 || off + len > text.length()) {
                continue;
            }
            String part = text.substring(off, off + len).toLowerCase(Locale.ROOT);
            if (type.equals("mention") ? part.equals(at) : part.endsWith(at)) {
                return true;
            }
        }
        return false;
    }

    /** The message's photo (largest size), document, voice, audio or video, downloaded. */
    private ArrayNode attachments(JsonNode m, String messageId) throws IOException {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        JsonNode photo = m.path("photo");
        if (photo.isArray() && photo.size() > 0) {
            JsonNode best = null;
            for (JsonNode p : photo) {
                if (best == null || area(p) >= area(best)) {
                    best = p;
                }
            }
            addFile(out, best, "photo-" + messageId + ".jpg", "image/jpeg");
        }
        addFile(out, m.path("document"), "document-" + messageId, "application/octet-stream");
        addFile(out, m.path("voice"), "voice-" + messageId + ".ogg", "audio/ogg");
        addFile(out, m.path("audio"), "audio-" + messageId + ".mp3", "audio/mpeg");
        addFile(out, m.path("video"), "video-" + messageId + ".mp4", "video/mp4");
        return out;
    }

    private static long area(JsonNode p) {
        long a = p.path("width").asLong(0) * p.path("height").asLong(0);
        return a > 0 ? a : p.path("file_size").asLong(0);
    }

    private void addFile(ArrayNode out, JsonNode f, String fallbackName, String fallbackType) throws IOException {
        if (f == null || !f.isObject() || !f.path("file_id").isTextual()) {
            return;
        }
        ObjectNode a = out.addObject();
        String name = f.path("file_name").isTextual() && !f.path("file_name").asText().isBlank()
                ? f.path("file_name").asText() : fallbackName;
        a.put("name", name);
        a.put("mimeType", f.path("mime_type").isTextual() ? f.path("mime_type").asText() : fallbackType);
        long declared = f.path("file_size").asLong(-1);
        if (declared >= 0) {
            a.put("size", declared);
        }
        if (declared > MAX_DOWNLOAD_BYTES) {
            a.put("note", TOO_LARGE);
            return;
        }
        try {
            JsonNode file = api.call("getFile", JsonNodeFactory.instance.objectNode()
                    .put("file_id", f.path("file_id").asText()));
            if (file.path("file_size").asLong(-1) > MAX_DOWNLOAD_BYTES) {
                a.put("note", TOO_LARGE);
                return;
            }
            byte[] data = api.download(file.path("file_path").asText(null), MAX_DOWNLOAD_BYTES);
            a.put("size", data.length);
            a.put("data", Base64.getEncoder().encodeToString(data));
        } catch (PlatformUnavailableException | RateLimitedException e) {
            throw e; // an outage: fetch the update again later rather than lose the file
        } catch (TelegramApiException e) {
            boolean big = e.description().toLowerCase(Locale.ROOT).contains("too big");
            a.put("note", big ? TOO_LARGE : "The file was not saved: Telegram said " + e.description());
            LOG.warnf("telegram: %s not downloaded: %s", name, e.getMessage());
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            a.put("note", msg.contains("too large") ? TOO_LARGE : "The file was not saved: " + msg);
            LOG.warnf("telegram: %s not downloaded: %s", name, msg);
        }
    }
}
