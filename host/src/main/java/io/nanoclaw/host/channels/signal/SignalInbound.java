package io.nanoclaw.host.channels.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.protocol.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A signal-cli {@code receive} notification → an {@link InboundMessage} for the router. Data messages (text and/or
 * attachments, in a DM or a group) and users' edits become messages; reactions, receipts, typing, sync messages
 * (our own other devices), calls, stories and group updates without text are skipped at debug level. Never throws
 * on bad input.
 */
final class SignalInbound {
    private static final Logger LOG = Logger.getLogger(SignalInbound.class);
    static final long MAX_ATTACHMENT_BYTES = 25L * 1024 * 1024;
    static final String TOO_LARGE = "The file was not saved: too large";
    /** Signal puts U+FFFC where a mention sits in the text. */
    private static final char MENTION_PLACEHOLDER = '\uFFFC';
    private static final Pattern SAFE_ATTACHMENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

    private final SignalConfig config;
    private final String account;
    private final SignalLink link;
    private final ObjectMapper mapper;
    private final EditChains edits;
    private final Pattern assistantName;
    private volatile boolean getAttachmentMissing;

    SignalInbound(SignalConfig config, SignalLink link, ObjectMapper mapper, EditChains edits) {
        this.config = config;
        this.account = config.account().orElseThrow();
        this.link = link;
        this.mapper = mapper;
        this.edits = edits;
        this.assistantName = Pattern.compile("(?iu)(^|[^\\p{L}\\p{N}_])@?" + Pattern.quote(config.assistantName())
                + "($|[^\\p{L}\\p{N}_])");
    }

    /** A chat and a message for the router, or null when the notification carries nothing for it. */
    record Routed(String platformId, InboundMessage message) {}

    void handle(JsonNode notification, InboundSink sink) {
        Routed r;
        try {
            r = map(notification);
        } catch (RuntimeException e) {
            LOG.warnf("a Signal message could not be read: skipped (%s)", e.toString());
            return;
        }
        if (r == null) {
            return;
        }
        try {
            sink.onInbound(SignalChannel.CHANNEL_TYPE, r.platformId(), null, r.message());
        } catch (RuntimeException e) {
            LOG.errorf(e, "routing Signal message %s failed", r.message().id());
        }
    }

    Routed map(JsonNode n) {
        String method = n.path("method").asText();
        if (!"receive".equals(method)) {
            LOG.debugf("signal-cli notification '%s' ignored", method);
            return null;
        }
        JsonNode params = n.path("params");
        // --receive-mode=manual + subscribeReceive wraps the event in {subscription, result}
        JsonNode event = params.has("envelope") ? params : params.path("result");
        JsonNode env = event.path("envelope");
        if (!env.isObject()) {
            LOG.debugf("signal-cli receive without an envelope: ignored");
            return null;
        }
        String forAccount = text(event.get("account"));
        if (forAccount != null && !forAccount.equals(account)) {
            LOG.debugf("message for another account of the daemon (%s): ignored", forAccount);
            return null;
        }
        String author = firstText(env, "sourceNumber", "sourceUuid", "source");
        if (author == null) {
            LOG.debugf("envelope without a sender (sealed sender it could not open?): ignored");
            return null;
        }
        if (author.equals(account)) {
            LOG.debugf("our own message (sync from another device): ignored");
            return null;
        }
        JsonNode dm;
        long originalTs;
        Long editTs = null;
        if (env.path("dataMessage").isObject()) {
            dm = env.get("dataMessage");
            originalTs = dm.path("timestamp").asLong(env.path("timestamp").asLong(0));
        } else if (env.path("editMessage").isObject()) {
            JsonNode em = env.get("editMessage");
            dm = em.path("dataMessage");
            long target = em.path("targetSentTimestamp").asLong(0);
            editTs = dm.path("timestamp").asLong(env.path("timestamp").asLong(0));
            if (!dm.isObject() || target <= 0 || editTs <= 0) {
                LOG.debugf("edit without a target or a message: ignored");
                return null;
            }
            originalTs = edits.originalOf(author, target, editTs);
        } else {
            LOG.debugf("Signal %s from %s ignored", kindOf(env), author);
            return null;
        }
        if (dm.has("reaction") && !dm.get("reaction").isNull()) {
            LOG.debugf("reaction from %s ignored", author);
            return null;
        }
        if (originalTs <= 0) {
            LOG.debugf("data message without a timestamp: ignored");
            return null;
        }
        String text = withMentions(text(dm.get("message")), dm.path("mentions"));
        JsonNode atts = dm.path("attachments");
        boolean hasFiles = atts.isArray() && !atts.isEmpty();
        if ((text == null || text.isBlank()) && !hasFiles) {
            LOG.debugf("message from %s without text or files (group update, timer, sticker…): ignored", author);
            return null;
        }
        String groupId = text(dm.path("groupInfo").get("groupId"));
        boolean isGroup = groupId != null;
        String platformId = isGroup ? SignalChannel.GROUP_PREFIX + groupId : author;
        String senderName = firstText(env, "sourceName");
        if (senderName == null) {
            senderName = author;
        }

        ObjectNode content = mapper.createObjectNode();
        String body = text == null ? "" : text;
        content.put("text", editTs != null ? "(edited) " + body : body);
        content.put("sender", senderName);
        content.put("senderId", SignalChannel.CHANNEL_TYPE + ":" + author);
        if (hasFiles) {
            content.set("attachments", attachments(atts));
        }
        JsonNode quote = dm.path("quote");
        boolean quotesUs = false;
        if (quote.isObject() && quote.path("id").canConvertToLong()) {
            String qAuthor = firstText(quote, "authorNumber", "authorUuid", "author");
            ObjectNode replyTo = content.putObject("replyTo");
            if (qAuthor != null) {
                replyTo.put("id", new MessageRef(qAuthor, quote.path("id").asLong()).id());
                quotesUs = qAuthor.equals(account);
                replyTo.put("sender", quotesUs ? config.assistantName() : qAuthor);
            }
            String qText = text(quote.get("text"));
            if (qText != null) {
                replyTo.put("text", qText);
            }
        }
        if (editTs != null) {
            content.put("edited", true);
        }
        boolean isMention = !isGroup || quotesUs || mentionsUs(dm.path("mentions"))
                || (text != null && assistantName.matcher(text).find());
        String id = new MessageRef(author, originalTs).id() + (editTs != null ? ".e" + editTs : "");
        long sentAt = editTs != null ? editTs : originalTs;
        return new Routed(platformId, new InboundMessage(id, "chat", content.toString(),
                Timestamps.iso(Instant.ofEpochMilli(sentAt)), isMention, isGroup, author, senderName));
    }

    private static String kindOf(JsonNode env) {
        for (String k : List.of("receiptMessage", "typingMessage", "syncMessage", "callMessage", "storyMessage")) {
            if (env.has(k)) {
                return k;
            }
        }
        return "envelope without a data message";
    }

    private boolean mentionsUs(JsonNode mentions) {
        for (JsonNode m : mentions) {
            if (account.equals(text(m.get("number")))) {
                return true;
            }
        }
        return false;
    }

    /** Puts "@name" where Signal left U+FFFC for a mention (start and length are UTF-16 units, as Java's). */
    String withMentions(String text, JsonNode mentions) {
        if (text == null || !mentions.isArray() || mentions.isEmpty()) {
            return text;
        }
        List<JsonNode> list = new ArrayList<>();
        mentions.forEach(list::add);
        list.sort(Comparator.comparingInt((JsonNode m) -> m.path("start").asInt(-1)).reversed());
        StringBuilder sb = new StringBuilder(text);
        for (JsonNode m : list) {
            int start = m.path("start").asInt(-1);
            int len = m.path("length").asInt(1);
            if (start < 0 || len < 1 || start + len > sb.length() || sb.charAt(start) != MENTION_PLACEHOLDER) {
                continue;
            }
            String number = text(m.get("number"));
            String name = account.equals(number) ? config.assistantName()
                    : firstText(m, "name", "number", "uuid");
            sb.replace(start, start + len, "@" + (name == null ? "someone" : name));
        }
        return sb.toString();
    }

    private ArrayNode attachments(JsonNode atts) {
        ArrayNode out = mapper.createArrayNode();
        for (JsonNode a : atts) {
            ObjectNode e = out.addObject();
            String name = text(a.get("filename"));
            if (name != null) {
                e.put("name", name);
            }
            String mime = text(a.get("contentType"));
            e.put("mimeType", mime == null ? "application/octet-stream" : mime);
            if (a.path("size").canConvertToLong()) {
                e.put("size", a.path("size").asLong());
            }
            String id = text(a.get("id"));
            if (a.path("size").asLong(0) > MAX_ATTACHMENT_BYTES) {
                e.put("note", TOO_LARGE);
                LOG.warnf("Signal attachment %s (%d bytes) refused: over %d MiB", name, a.path("size").asLong(),
                        MAX_ATTACHMENT_BYTES / (1024 * 1024));
                continue;
            }
            if (id == null) {
                e.put("note", "The file was not saved: signal-cli gave no attachment id");
                continue;
            }
            try {
                e.put("data", fetch(id));
            } catch (TooLarge t) {
                e.put("note", TOO_LARGE);
                LOG.warnf("Signal attachment %s refused: over %d MiB", name, MAX_ATTACHMENT_BYTES / (1024 * 1024));
            } catch (IOException | RuntimeException x) {
                e.put("note", "The file was not saved: signal-cli could not provide it (" + x.getMessage() + ")");
                LOG.warnf("Signal attachment %s could not be fetched: %s", id, x.getMessage());
            }
        }
        return out;
    }

    /** Base64 of an attachment: {@code getAttachment} where the daemon has it, else the daemon's attachments folder. */
    String fetch(String id) throws IOException {
        IOException rpcError = null;
        if (!getAttachmentMissing) {
            try {
                ObjectNode p = mapper.createObjectNode().put("id", id);
                JsonNode r = link.call("getAttachment", p, config.rpcTimeout().plusSeconds(30));
                String data = text(r.get("data"));
                if (data == null && r.isTextual()) {
                    data = r.asText();
                }
                if (data == null) {
                    throw new IOException("getAttachment returned no data");
                }
                if ((long) data.length() * 3 / 4 > MAX_ATTACHMENT_BYTES + 2) {
                    throw new TooLarge();
                }
                return data;
            } catch (SignalRpcException e) {
                if (e.code() == SignalRpcException.METHOD_NOT_FOUND) {
                    getAttachmentMissing = true; // an older signal-cli: read its attachments folder from now on
                } else {
                    rpcError = e;
                }
            }
        }
        if (!SAFE_ATTACHMENT_ID.matcher(id).matches() || id.contains("..")) {
            throw new IOException("unsafe attachment id");
        }
        Path f = config.attachmentsDir().resolve(id);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw rpcError != null ? rpcError : new IOException("not in " + config.attachmentsDir());
        }
        if (Files.size(f) > MAX_ATTACHMENT_BYTES) {
            throw new TooLarge();
        }
        return Base64.getEncoder().encodeToString(Files.readAllBytes(f));
    }

    static final class TooLarge extends IOException {
        TooLarge() {
            super("too large");
        }
    }

    private static String firstText(JsonNode n, String... keys) {
        for (String k : keys) {
            String v = text(n.get(k));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        return n == null || !n.isTextual() || n.asText().isBlank() ? null : n.asText();
    }
}
