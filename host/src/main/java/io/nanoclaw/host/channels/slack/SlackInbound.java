package io.nanoclaw.host.channels.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ActionEvent;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.protocol.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Socket Mode envelopes → the router, on one worker thread (in order). Runs after the envelope was acked.
 *
 * <p>Messages: {@code message} events (channel_type {@code im} is a DM: not a group, always a mention;
 * {@code channel}/{@code group}/{@code mpim} are groups, a mention when the text has {@code <@BOT>} or the message
 * replies in a thread the bot started). {@code app_mention} is the same message again in channels where the app
 * also gets {@code message.*} events, and the only copy where it doesn't: whichever of the two comes first is
 * routed (as a mention), the other is skipped by its channel and ts. Bots (including this one) and subtypes other
 * than none, {@code file_share} and {@code thread_broadcast} are skipped; {@code message_changed} with new text is an
 * edit. Slack re-sends an event it thinks was not acked, so events are also deduplicated by {@code event_id}.
 *
 * <p>Clicks: {@code interactive} envelopes with a {@code block_actions} payload, one
 * {@link InboundSink#onAction} per action.
 */
final class SlackInbound {
    private static final Logger LOG = Logger.getLogger(SlackInbound.class);
    static final String CHANNEL_TYPE = SlackChannel.CHANNEL_TYPE;
    static final long MAX_FILE_BYTES = 25L << 20;
    static final int MAX_FILES = 20;
    private static final Set<String> ROUTED_SUBTYPES = Set.of("file_share", "thread_broadcast");

    private final SlackApi api;
    private final SlackChannel.Identity me;
    private final Users users;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Set<String> seen = java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > 5000;
        }
    });

    SlackInbound(SlackApi api, SlackChannel.Identity me) {
        this.api = api;
        this.me = me;
        this.users = new Users(api);
    }

    /** Never throws: bad input is logged and skipped. */
    void handle(JsonNode envelope, InboundSink sink) {
        try {
            String type = envelope.path("type").asText("");
            JsonNode payload = envelope.get("payload");
            if (payload == null || !payload.isObject()) {
                LOG.debugf("Slack %s envelope without a payload: skipped", type);
                return;
            }
            switch (type) {
                case "events_api" -> onEvent(payload, sink);
                case "interactive" -> onInteractive(envelope.path("envelope_id").asText(), payload, sink);
                default -> LOG.debugf("Slack %s envelope: not used", type);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Slack envelope %s skipped", envelope.path("envelope_id").asText("?"));
        }
    }

    private boolean firstTime(String key) {
        return seen.add(key);
    }

    private void onEvent(JsonNode payload, InboundSink sink) {
        String eventId = text(payload, "event_id");
        if (eventId != null && !firstTime("ev:" + eventId)) {
            LOG.debugf("Slack event %s again (a retry): skipped", eventId);
            return;
        }
        JsonNode event = payload.get("event");
        if (event == null || !event.isObject()) {
            LOG.debugf("Slack event %s without an event: skipped", eventId);
            return;
        }
        String type = event.path("type").asText("");
        switch (type) {
            case "message" -> onMessage(event, sink);
            case "app_mention" -> {
                if (event.hasNonNull("bot_id")) {
                    return;
                }
                route(event, text(event, "channel"), channelTypeOf(event), true, sink);
            }
            default -> LOG.debugf("Slack event type '%s': not used", type);
        }
    }

    private void onMessage(JsonNode event, InboundSink sink) {
        String subtype = text(event, "subtype");
        if ("message_changed".equals(subtype)) {
            onEdit(event, sink);
            return;
        }
        if (subtype != null && !ROUTED_SUBTYPES.contains(subtype)) {
            LOG.debugf("Slack message subtype '%s': skipped", subtype);
            return;
        }
        if (event.hasNonNull("bot_id")) {
            return; // bots, this one included
        }
        route(event, text(event, "channel"), channelTypeOf(event), false, sink);
    }

    private void route(JsonNode m, String channel, String channelType, boolean mentioned, InboundSink sink) {
        String user = text(m, "user");
        String ts = text(m, "ts");
        if (channel == null || ts == null || user == null) {
            LOG.debugf("Slack message without channel, ts or user: skipped");
            return;
        }
        if (user.equals(me.userId())) {
            return;
        }
        if (!firstTime("msg:" + channel + ":" + ts)) {
            return; // the message and its app_mention: routed once
        }
        String raw = m.path("text").asText("");
        boolean dm = "im".equals(channelType);
        boolean mention = dm || mentioned || mentionsMe(raw)
                || (me.userId() != null && me.userId().equals(text(m, "parent_user_id")));
        String name = users.name(user);
        ObjectNode content = content(m, raw, user, name);
        String thread = text(m, "thread_ts");
        if (thread != null && !thread.equals(ts)) {
            content.putObject("replyTo").put("id", thread);
        }
        sink.onInbound(CHANNEL_TYPE, channel, thread, new InboundMessage(ts, "chat", content.toString(), iso(ts),
                mention, !dm, user, name));
    }

    /** A user's edit: a new message "(edited) …" with its own id, unless only Slack's metadata changed. */
    private void onEdit(JsonNode event, InboundSink sink) {
        JsonNode m = event.get("message");
        String channel = text(event, "channel");
        if (m == null || !m.isObject() || channel == null) {
            return;
        }
        if (m.hasNonNull("bot_id")) {
            return;
        }
        String user = text(m, "user");
        String ts = text(m, "ts");
        if (user == null || ts == null || user.equals(me.userId())) {
            return;
        }
        JsonNode prev = event.get("previous_message");
        String raw = m.path("text").asText("");
        if (prev != null && prev.isObject() && raw.equals(prev.path("text").asText(""))) {
            return; // an unfurl or a reply count, not an edit
        }
        String editTs = text(m.path("edited"), "ts");
        if (editTs == null) {
            editTs = text(event, "event_ts");
        }
        if (editTs == null) {
            editTs = text(event, "ts");
        }
        String id = ts + ".e" + editTs;
        if (!firstTime("msg:" + channel + ":" + id)) {
            return;
        }
        String channelType = channelTypeOf(event);
        boolean dm = "im".equals(channelType);
        String name = users.name(user);
        ObjectNode content = content(m, raw, user, name);
        content.put("text", "(edited) " + content.path("text").asText());
        content.put("edited", true);
        String thread = text(m, "thread_ts");
        boolean mention = dm || mentionsMe(raw) || (me.userId() != null && me.userId().equals(text(m,
                "parent_user_id")));
        sink.onInbound(CHANNEL_TYPE, channel, thread, new InboundMessage(id, "chat", content.toString(),
                iso(editTs), mention, !dm, user, name));
    }

    private ObjectNode content(JsonNode m, String raw, String user, String name) {
        ObjectNode c = mapper.createObjectNode();
        c.put("text", SlackText.toPlain(raw, id -> id.equals(me.userId()) && me.name() != null ? me.name()
                : users.name(id)));
        c.put("sender", name);
        c.put("senderId", CHANNEL_TYPE + ":" + user);
        JsonNode files = m.get("files");
        if (files != null && files.isArray() && !files.isEmpty()) {
            ArrayNode out = c.putArray("attachments");
            int n = 0;
            for (JsonNode f : files) {
                if (n++ >= MAX_FILES) {
                    break;
                }
                if (f.isObject()) {
                    out.add(attachment(f));
                }
            }
        }
        return c;
    }

    /** A file of the message, downloaded with the bot token (at most 25 MiB, the size checked first). */
    ObjectNode attachment(JsonNode f) {
        if ("check_file_info".equals(text(f, "file_access")) && text(f, "id") != null) {
            try {
                f = api.callForm("files.info", Map.of("file", text(f, "id"))).path("file");
            } catch (IOException e) {
                LOG.debugf("files.info %s: %s", text(f, "id"), e.getMessage());
            }
        }
        ObjectNode a = mapper.createObjectNode();
        String name = text(f, "name") != null ? text(f, "name") : text(f, "title") != null ? text(f, "title")
                : "file";
        a.put("name", name);
        String mime = text(f, "mimetype");
        if (mime != null) {
            a.put("mimeType", mime);
        }
        long size = f.path("size").asLong(-1);
        if (size >= 0) {
            a.put("size", size);
        }
        if (size > MAX_FILE_BYTES) {
            return a.put("note", "The file was not saved: too large");
        }
        String mode = text(f, "mode");
        String url = text(f, "url_private_download") != null ? text(f, "url_private_download")
                : text(f, "url_private");
        if ("tombstone".equals(mode) || "hidden_by_limit".equals(mode) || url == null) {
            return a.put("note", "The file was not saved: Slack did not share its contents with the bot");
        }
        try {
            byte[] data = api.download(url, MAX_FILE_BYTES);
            a.put("size", data.length);
            a.put("data", Base64.getEncoder().encodeToString(data));
        } catch (IOException e) {
            String why = e.getMessage() != null && e.getMessage().contains("too large") ? "too large"
                    : "could not download it (" + e.getMessage() + ")";
            LOG.warnf("Slack file %s: %s", text(f, "id"), why);
            a.put("note", "The file was not saved: " + why);
        }
        return a;
    }

    private void onInteractive(String envelopeId, JsonNode payload, InboundSink sink) {
        if (!firstTime("env:" + envelopeId)) {
            return;
        }
        String type = payload.path("type").asText("");
        if (!"block_actions".equals(type)) {
            LOG.debugf("Slack interactive payload '%s': not used", type);
            return;
        }
        JsonNode container = payload.path("container");
        String channel = text(container, "channel_id");
        if (channel == null) {
            channel = text(payload.path("channel"), "id");
        }
        String messageTs = text(container, "message_ts");
        if (messageTs == null) {
            messageTs = text(payload.path("message"), "ts");
        }
        String thread = text(container, "thread_ts");
        if (thread == null) {
            thread = text(payload.path("message"), "thread_ts");
        }
        JsonNode user = payload.path("user");
        String userId = text(user, "id");
        JsonNode actions = payload.get("actions");
        if (channel == null || userId == null || actions == null || !actions.isArray()) {
            LOG.debugf("Slack block_actions without channel, user or actions: skipped");
            return;
        }
        String userName = text(user, "name") != null ? text(user, "name") : text(user, "username") != null
                ? text(user, "username") : userId;
        for (JsonNode action : actions) {
            String actionId = text(action, "action_id");
            if (actionId == null) {
                continue;
            }
            sink.onAction(CHANNEL_TYPE, channel, thread, new ActionEvent(userId, userName, actionId, messageTs));
        }
    }

    private boolean mentionsMe(String raw) {
        String id = me.userId();
        return id != null && (raw.contains("<@" + id + ">") || raw.contains("<@" + id + "|"));
    }

    /** im, mpim, group or channel: from the event, else from the id's first letter. */
    static String channelTypeOf(JsonNode event) {
        String t = text(event, "channel_type");
        if (t != null) {
            return t;
        }
        String ch = text(event, "channel");
        if (ch == null || ch.isEmpty()) {
            return "channel";
        }
        return switch (ch.charAt(0)) {
            case 'D' -> "im";
            case 'G' -> "group";
            default -> "channel";
        };
    }

    /** Slack's ts ("1712345678.000100", seconds and microseconds) as an ISO instant; now when unreadable. */
    static String iso(String ts) {
        try {
            int dot = ts.indexOf('.');
            long secs = Long.parseLong(dot < 0 ? ts : ts.substring(0, dot));
            long micros = dot < 0 ? 0 : Long.parseLong((ts.substring(dot + 1) + "000000").substring(0, 6));
            return Timestamps.iso(Instant.ofEpochSecond(secs, micros * 1000));
        } catch (RuntimeException e) {
            return Timestamps.iso(Instant.now());
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    /** Display names by user id (users.info), cached; the id itself when Slack won't say. */
    static final class Users {
        private static final long OK_FOR_MS = 6 * 3600_000L;
        private static final long FAILED_FOR_MS = 5 * 60_000L;

        private record Entry(String name, long until) {}

        private final SlackApi api;
        private final Map<String, Entry> cache = new ConcurrentHashMap<>();

        Users(SlackApi api) {
            this.api = api;
        }

        String name(String userId) {
            Entry e = cache.get(userId);
            long now = System.currentTimeMillis();
            if (e != null && e.until() > now) {
                return e.name();
            }
            if (cache.size() > 2000) {
                cache.clear();
            }
            String name = userId;
            long ttl = FAILED_FOR_MS;
            try {
                JsonNode u = api.callForm("users.info", Map.of("user", userId)).path("user");
                String found = firstNonBlank(text(u.path("profile"), "display_name"), text(u, "real_name"),
                        text(u.path("profile"), "real_name"), text(u, "name"));
                if (found != null) {
                    name = found;
                    ttl = OK_FOR_MS;
                }
            } catch (IOException ex) {
                LOG.debugf("users.info %s: %s", userId, ex.getMessage());
            }
            cache.put(userId, new Entry(name, now + ttl));
            return name;
        }

        private static String firstNonBlank(String... s) {
            for (String v : s) {
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
            return null;
        }
    }
}
