package io.nanoclaw.host.channels.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.delivery.UndeliverableException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Outbound contents → signal-cli requests: text (with files as base64 data URIs, so signal-cli needs no access to
 * the host's staging folder) with {@code send}, edits with {@code send} + {@code editTimestamp}, reactions with
 * {@code sendReaction}. Returns {@code <account>@<timestamp>} for what it sent.
 */
final class SignalOutbound {
    private static final Logger LOG = Logger.getLogger(SignalOutbound.class);
    private static final Map<String, String> MIME_BY_EXT = Map.ofEntries(Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("pdf", "application/pdf"), Map.entry("txt", "text/plain"),
            Map.entry("md", "text/markdown"), Map.entry("csv", "text/csv"), Map.entry("json", "application/json"),
            Map.entry("html", "text/html"), Map.entry("zip", "application/zip"), Map.entry("ogg", "audio/ogg"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("mp4", "video/mp4"));

    private final String account;
    private final SignalLink link;
    private final ObjectMapper mapper;
    private final EditChains edits;

    SignalOutbound(String account, SignalLink link, ObjectMapper mapper, EditChains edits) {
        this.account = account;
        this.link = link;
        this.mapper = mapper;
        this.edits = edits;
    }

    String deliver(String platformId, OutboundMessage message) throws Exception {
        JsonNode content = message.content();
        String op = content == null ? "" : content.path("operation").asText("");
        if (op.equals("edit")) {
            return edit(platformId, content);
        }
        if (op.equals("reaction")) {
            react(platformId, content);
            return null;
        }
        String text = message.text();
        List<Path> files = message.files() == null ? List.of() : message.files();
        if (text.isEmpty() && files.isEmpty()) {
            LOG.debugf("nothing to send to %s: no text and no files", platformId);
            return null;
        }
        ObjectNode p = target(platformId).put("message", text);
        if (!files.isEmpty()) {
            ArrayNode a = p.putArray("attachments");
            for (Path f : files) {
                a.add(dataUri(f));
            }
        }
        // files: up to 50 MiB each as base64 in one line: give the daemon time to upload them
        Duration extra = Duration.ofSeconds(files.isEmpty() ? 0 : 60L * files.size());
        JsonNode r = link.call("send", p, linkTimeout().plus(extra));
        checkResults("send", r);
        return new MessageRef(account, timestampOf(r)).id();
    }

    private String edit(String platformId, JsonNode content) throws Exception {
        MessageRef ref = ref(content);
        if (!ref.author().equals(account)) {
            throw new UndeliverableException("Signal can only edit the bot's own messages, not " + ref.id());
        }
        String text = content.path("text").asText("");
        if (text.isEmpty()) {
            throw new UndeliverableException("an edit needs text");
        }
        ObjectNode p = target(platformId).put("message", text).put("editTimestamp", edits.target(ref));
        JsonNode r = link.call("send", p);
        checkResults("edit", r);
        if (r.path("timestamp").canConvertToLong()) {
            edits.edited(ref, r.path("timestamp").asLong());
        }
        return ref.id(); // the host keeps naming the message by its first id; EditChains maps it to the newest
    }

    private void react(String platformId, JsonNode content) throws Exception {
        MessageRef ref = ref(content);
        String emoji = content.path("emoji").asText("");
        if (emoji.isBlank()) {
            throw new UndeliverableException("a reaction needs an emoji");
        }
        ObjectNode p = target(platformId).put("emoji", emoji).put("targetAuthor", ref.author())
                .put("targetTimestamp", ref.timestamp());
        checkResults("sendReaction", link.call("sendReaction", p));
    }

    void typing(String platformId) {
        link.callQuietly("sendTyping", target(platformId));
    }

    private MessageRef ref(JsonNode content) throws UndeliverableException {
        try {
            return MessageRef.parse(content.path("messageId").asText(null));
        } catch (IllegalArgumentException e) {
            throw new UndeliverableException(e.getMessage());
        }
    }

    /** {@code group:<id>} → groupId, anything else is a recipient (number, ACI or {@code u:username}). */
    ObjectNode target(String platformId) {
        ObjectNode p = mapper.createObjectNode();
        if (platformId.startsWith(SignalChannel.GROUP_PREFIX)) {
            p.put("groupId", platformId.substring(SignalChannel.GROUP_PREFIX.length()));
        } else {
            p.putArray("recipient").add(platformId);
        }
        return p;
    }

    private Duration linkTimeout() {
        return link.rpcTimeout();
    }

    /** RFC 2397 with signal-cli's filename parameter: {@code data:<mime>;filename=<name>;base64,<data>}. */
    static String dataUri(Path f) throws IOException {
        String name = f.getFileName().toString();
        String mime = mimeOf(f, name);
        byte[] bytes = Files.readAllBytes(f);
        return "data:" + mime + ";filename=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + ";base64,"
                + Base64.getEncoder().encodeToString(bytes);
    }

    static String mimeOf(Path f, String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String m = MIME_BY_EXT.get(ext);
        if (m != null) {
            return m;
        }
        try {
            String probed = Files.probeContentType(f);
            if (probed != null && probed.matches("[\\w.+-]+/[\\w.+-]+")) {
                return probed;
            }
        } catch (IOException e) {
            LOG.debugf("no MIME type for %s: %s", name, e.getMessage());
        }
        return "application/octet-stream";
    }

    private static long timestampOf(JsonNode r) throws IOException {
        if (!r.path("timestamp").canConvertToLong()) {
            throw new IOException("signal-cli answered send without a timestamp");
        }
        return r.path("timestamp").asLong();
    }

    /**
     * A send "succeeds" at the RPC level even when no recipient got it: then the per-recipient results say why. A
     * group send where some members failed still counts as sent (they are logged).
     */
    static void checkResults(String what, JsonNode r) throws IOException {
        JsonNode results = r.path("results");
        if (!results.isArray() || results.isEmpty()) {
            return;
        }
        List<String> failures = new ArrayList<>();
        boolean anySuccess = false;
        boolean rateLimited = false;
        boolean allNetwork = true;
        long retryAfter = -1;
        for (JsonNode res : results) {
            String type = res.path("type").asText("");
            if (type.equals("SUCCESS")) {
                anySuccess = true;
                continue;
            }
            JsonNode addr = res.path("recipientAddress");
            String who = addr.path("number").isTextual() ? addr.path("number").asText()
                    : addr.path("uuid").asText("?");
            failures.add(type + " for " + who);
            rateLimited |= type.equals("RATE_LIMIT_FAILURE") || res.hasNonNull("token");
            allNetwork &= type.equals("NETWORK_FAILURE");
            if (res.path("retryAfterSeconds").canConvertToLong()) {
                retryAfter = Math.max(retryAfter, res.path("retryAfterSeconds").asLong());
            }
        }
        if (anySuccess) {
            if (!failures.isEmpty()) {
                LOG.warnf("Signal %s reached only some recipients: %s", what, String.join(", ", failures));
            }
            return;
        }
        String msg = "Signal " + what + " failed: " + String.join(", ", failures);
        if (rateLimited) {
            throw new RateLimitedException(msg, retryAfter >= 0 ? Duration.ofSeconds(Math.max(1, retryAfter))
                    : SignalLink.DEFAULT_RATE_LIMIT_WAIT);
        }
        if (allNetwork) {
            throw new PlatformUnavailableException(msg, null);
        }
        throw new IOException(msg);
    }
}
