package io.nanoclaw.host.channels.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ActionEvent;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.host.channels.http.HttpCall;
import io.nanoclaw.host.channels.http.HttpReply;
import io.nanoclaw.host.channels.http.PlatformHttp;
import io.nanoclaw.protocol.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Gateway dispatches → the host: MESSAGE_CREATE and edited MESSAGE_UPDATE become inbound messages, component
 * clicks (INTERACTION_CREATE type 3) are acknowledged and become actions, channel and thread events fill the
 * channel cache. Messages by bots (ourselves included), system messages and malformed events are skipped with a
 * debug line; nothing here throws into the gateway. Runs on the adapter's own worker threads (blocking allowed).
 */
final class DiscordInbound {
    private static final Logger LOG = Logger.getLogger(DiscordInbound.class);
    static final long MAX_ATTACHMENT_BYTES = 25L << 20;
    /** DEFERRED_UPDATE_MESSAGE: "got it", the card is edited separately; the user sees no spinner. */
    static final int DEFERRED_UPDATE_MESSAGE = 6;

    private final ObjectMapper mapper = new ObjectMapper();
    private final String channelType;
    private final InboundSink sink;
    private final DiscordRest rest;
    private final PlatformHttp http;
    private final DiscordChannels channels;
    private final Supplier<String> botUserId;

    DiscordInbound(String channelType, InboundSink sink, DiscordRest rest, PlatformHttp http,
                   DiscordChannels channels, Supplier<String> botUserId) {
        this.channelType = channelType;
        this.sink = sink;
        this.rest = rest;
        this.http = http;
        this.channels = channels;
        this.botUserId = botUserId;
    }

    /** Where a message lives for the host: the chat, and the thread within it (null when not in a thread). */
    record Address(String platformId, String threadId) {}

    void onDispatch(String type, JsonNode d) {
        try {
            if (d == null || !d.isObject()) {
                LOG.debugf("Discord %s without an object payload: skipped", type);
                return;
            }
            switch (type) {
                case "MESSAGE_CREATE" -> message(d, false);
                case "MESSAGE_UPDATE" -> message(d, true);
                case "GUILD_CREATE" -> channels.rememberGuild(d);
                case "CHANNEL_CREATE", "CHANNEL_UPDATE", "THREAD_CREATE", "THREAD_UPDATE" -> channels.remember(d, null);
                case "CHANNEL_DELETE", "THREAD_DELETE" -> channels.forget(d);
                case "THREAD_LIST_SYNC" -> d.path("threads").forEach(t -> channels.remember(t, null));
                default -> LOG.tracef("Discord event %s: not used", type);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Discord %s could not be handled: %s", type, e.toString());
        }
    }

    // ---- messages ----

    void message(JsonNode d, boolean update) {
        String id = str(d, "id");
        String channelId = str(d, "channel_id");
        JsonNode author = d.path("author");
        String authorId = str(author, "id");
        if (!DiscordIds.isSnowflake(id) || !DiscordIds.isSnowflake(channelId) || authorId == null) {
            LOG.debugf("Discord message event without id, channel_id or author: skipped");
            return;
        }
        if (author.path("bot").asBoolean(false) || authorId.equals(botUserId.get()) || d.hasNonNull("webhook_id")) {
            return; // bots, webhooks and ourselves: never a conversation partner
        }
        int kind = d.path("type").asInt(0);
        if (kind != 0 && kind != 19) { // DEFAULT and REPLY; joins, pins, thread notices are not messages to answer
            LOG.debugf("Discord message %s of type %d: skipped", id, kind);
            return;
        }
        String edited = str(d, "edited_timestamp");
        if (update && (edited == null || !d.path("content").isTextual())) {
            return; // an embed unfurling or a pin, not the user changing their words
        }
        String text = mentionsToNames(d.path("content").asText(""), d.path("mentions"));
        ArrayNode attachments = attachments(d.path("attachments"));
        if (text.isBlank() && attachments.isEmpty()) {
            LOG.debugf("Discord message %s has no text and no files (a sticker or embed, or the Message Content "
                    + "intent is off): skipped", id);
            return;
        }
        String guildId = str(d, "guild_id");
        boolean dm = guildId == null;
        Address where = dm ? new Address(channelId, null) : address(channelId);
        String me = botUserId.get();
        boolean mention = dm || mentions(d.path("mentions"), me)
                || (me != null && me.equals(str(d.path("referenced_message").path("author"), "id")));
        String name = displayName(author, d.path("member"));

        ObjectNode content = mapper.createObjectNode();
        content.put("text", update ? "(edited) " + text : text);
        content.put("sender", name);
        content.put("senderId", channelType + ":" + authorId);
        if (!attachments.isEmpty()) {
            content.set("attachments", attachments);
        }
        ObjectNode replyTo = replyTo(d);
        if (replyTo != null) {
            content.set("replyTo", replyTo);
        }
        String messageId = id;
        String when = str(d, "timestamp");
        if (update) {
            content.put("edited", true);
            Instant t = Timestamps.parseUtc(edited);
            messageId = id + ".e" + (t == null ? edited.replaceAll("[^0-9]", "") : t.toEpochMilli());
            when = edited;
        }
        Instant at = Timestamps.parseUtc(when);
        sink.onInbound(channelType, where.platformId(), where.threadId(), new InboundMessage(messageId, "chat",
                content.toString(), Timestamps.iso(at == null ? Instant.now() : at), mention, !dm, authorId, name));
    }

    /** A guild channel's address: a thread is its parent channel plus the thread's own channel id. */
    Address address(String channelId) {
        Optional<DiscordChannels.Info> info = channels.lookup(channelId);
        if (info.isPresent() && info.get().thread()) {
            return new Address(info.get().parentId(), channelId);
        }
        return new Address(channelId, null);
    }

    private static boolean mentions(JsonNode list, String userId) {
        if (userId == null || !list.isArray()) {
            return false;
        }
        for (JsonNode u : list) {
            if (userId.equals(str(u, "id"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code <@123>} and {@code <@!123>} read as "@name" for the agent, for the users Discord resolved. */
    static String mentionsToNames(String text, JsonNode mentions) {
        if (!mentions.isArray() || text.indexOf("<@") < 0) {
            return text;
        }
        String t = text;
        for (JsonNode u : mentions) {
            String id = str(u, "id");
            if (DiscordIds.isSnowflake(id)) {
                String name = "@" + displayName(u, u.path("member"));
                t = t.replace("<@" + id + ">", name).replace("<@!" + id + ">", name);
            }
        }
        return t;
    }

    static String displayName(JsonNode user, JsonNode member) {
        String nick = str(member, "nick");
        if (nick != null) {
            return nick;
        }
        String global = str(user, "global_name");
        if (global != null) {
            return global;
        }
        String u = str(user, "username");
        return u == null ? "unknown" : u;
    }

    private ObjectNode replyTo(JsonNode d) {
        JsonNode ref = d.path("referenced_message");
        if (ref.isObject() && str(ref, "id") != null) {
            ObjectNode r = mapper.createObjectNode().put("id", str(ref, "id"));
            if (ref.path("content").isTextual() && !ref.path("content").asText().isEmpty()) {
                r.put("text", ref.path("content").asText());
            }
            if (ref.path("author").isObject()) {
                r.put("sender", displayName(ref.path("author"), ref.path("member")));
            }
            return r;
        }
        String refId = str(d.path("message_reference"), "message_id");
        return refId == null || d.path("type").asInt(0) != 19 ? null : mapper.createObjectNode().put("id", refId);
    }

    /** Each attachment downloaded into base64 {@code data}; one too large or not downloadable gets a note. */
    private ArrayNode attachments(JsonNode list) {
        ArrayNode out = mapper.createArrayNode();
        if (!list.isArray()) {
            return out;
        }
        for (JsonNode a : list) {
            String name = Optional.ofNullable(str(a, "filename")).orElse("attachment");
            ObjectNode item = out.addObject().put("name", name);
            String type = str(a, "content_type");
            if (type != null) {
                item.put("mimeType", type);
            }
            long size = a.path("size").asLong(-1);
            if (size >= 0) {
                item.put("size", size);
            }
            String url = str(a, "url");
            if (size > MAX_ATTACHMENT_BYTES) {
                item.put("note", "The file was not saved: too large");
                LOG.infof("Discord attachment %s (%d bytes) is over the %d MiB cap: not downloaded", name, size,
                        MAX_ATTACHMENT_BYTES >> 20);
                continue;
            }
            if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
                item.put("note", "The file was not saved: no download link");
                continue;
            }
            try {
                // The CDN link is signed: no bot token goes with it.
                HttpReply r = http.send(HttpCall.get(url).timeout(Duration.ofSeconds(120))
                        .maxResponseBytes(MAX_ATTACHMENT_BYTES));
                if (!r.ok()) {
                    item.put("note", "The file was not saved: download failed (HTTP " + r.status() + ")");
                    continue;
                }
                item.put("data", Base64.getEncoder().encodeToString(r.body()));
                item.put("size", r.body().length);
            } catch (Exception e) {
                boolean tooLarge = String.valueOf(e.getMessage()).contains("too large");
                item.put("note", tooLarge ? "The file was not saved: too large"
                        : "The file was not saved: download failed");
                LOG.warnf("Discord attachment %s not downloaded: %s", name, tooLarge ? "over the cap"
                        : e.getClass().getSimpleName());
            }
        }
        return out;
    }

    // ---- button clicks ----

    void interaction(JsonNode d) {
        try {
            if (d == null || !d.isObject()) {
                return;
            }
            String id = str(d, "id");
            String token = str(d, "token");
            if (!DiscordIds.isSnowflake(id) || token == null || !token.matches("[A-Za-z0-9._-]{1,500}")) {
                LOG.debugf("Discord interaction without a usable id or token: skipped");
                return;
            }
            if (d.path("type").asInt(-1) != 3) {
                LOG.debugf("Discord interaction of type %s: not a component click, ignored", d.path("type"));
                return;
            }
            // Always answer first, even for ids we never issued: the user's client spins until we do.
            try {
                rest.interactionCallback(id, token, DEFERRED_UPDATE_MESSAGE);
            } catch (Exception e) {
                LOG.warnf("Discord interaction %s could not be acknowledged: %s", id, e.getMessage());
            }
            String customId = str(d.path("data"), "custom_id");
            JsonNode user = d.path("member").path("user").isObject() ? d.path("member").path("user") : d.path("user");
            String userId = str(user, "id");
            String channelId = Optional.ofNullable(str(d, "channel_id")).orElse(str(d.path("channel"), "id"));
            if (customId == null || userId == null || !DiscordIds.isSnowflake(channelId)) {
                LOG.debugf("Discord interaction %s without custom_id, user or channel: acknowledged, ignored", id);
                return;
            }
            if (d.path("channel").isObject()) {
                channels.remember(d.path("channel"), str(d, "guild_id"));
            }
            Address where = str(d, "guild_id") == null ? new Address(channelId, null) : address(channelId);
            String name = displayName(user, d.path("member"));
            sink.onAction(channelType, where.platformId(), where.threadId(),
                    new ActionEvent(userId, name, customId, str(d.path("message"), "id")));
        } catch (RuntimeException e) {
            LOG.warnf("Discord interaction could not be handled: %s", e.toString());
        }
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || !v.isValueNode() || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }
}
