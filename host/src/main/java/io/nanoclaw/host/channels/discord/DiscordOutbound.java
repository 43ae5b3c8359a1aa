package io.nanoclaw.host.channels.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.http.Multipart;
import io.nanoclaw.host.delivery.UndeliverableException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's outbound shapes as Discord REST calls: text (with files as a multipart upload on the first message),
 * a choice card as a message with button rows, an edit as PATCH (buttons removed: an edited card is answered), a
 * reaction as PUT on {@code @me}. In a thread everything goes to the thread's channel id. A refusal Discord will
 * repeat (403 missing access, 404 unknown channel, 400 bad request, 413 file too large) is an
 * {@link UndeliverableException}; outages and 429s keep PlatformHttp's exceptions so delivery retries them.
 */
final class DiscordOutbound {
    static final int MAX_TEXT = 2000;
    static final int MAX_FILES_PER_MESSAGE = 10;
    static final int MAX_BUTTONS_PER_ROW = 5;
    static final int MAX_ROWS = 5;
    static final int MAX_LABEL = 80;

    private final ObjectMapper mapper = new ObjectMapper();
    private final DiscordRest rest;

    DiscordOutbound(DiscordRest rest) {
        this.rest = rest;
    }

    String deliver(String platformId, String threadId, OutboundMessage message) throws Exception {
        String channel = threadId != null && !threadId.isBlank() ? threadId : platformId;
        if (!DiscordIds.isSnowflake(channel)) {
            throw new UndeliverableException("not a Discord channel id: " + channel);
        }
        JsonNode c = message.content() == null ? mapper.createObjectNode() : message.content();
        try {
            String op = c.path("operation").asText("");
            if (op.equals("edit")) {
                return edit(channel, c);
            }
            if (op.equals("reaction")) {
                react(channel, c);
                return null;
            }
            if ("choice_card".equals(c.path("type").asText())) {
                return card(channel, c);
            }
            return text(channel, message.text(), message.files());
        } catch (DiscordRest.DiscordApiException e) {
            if (e.status == 413 || e.code == 40005) {
                throw new UndeliverableException("Discord refused the upload as too large (" + e.getMessage() + ")");
            }
            throw new UndeliverableException(e.getMessage());
        }
    }

    private String edit(String channel, JsonNode c) throws Exception {
        String mid = DiscordIds.messageId(c.path("messageId").asText(""));
        if (!DiscordIds.isSnowflake(mid)) {
            throw new UndeliverableException("not a Discord message id: " + mid);
        }
        ObjectNode body = mapper.createObjectNode().put("content", clip(c.path("text").asText("")));
        body.putArray("components"); // an edited card is settled: its buttons go
        JsonNode r = rest.json("PATCH", "/channels/" + channel + "/messages/" + mid, body);
        return r == null ? mid : r.path("id").asText(mid);
    }

    private void react(String channel, JsonNode c) throws Exception {
        String mid = DiscordIds.messageId(c.path("messageId").asText(""));
        String emoji = c.path("emoji").asText("").strip();
        if (!DiscordIds.isSnowflake(mid)) {
            throw new UndeliverableException("not a Discord message id: " + mid);
        }
        if (emoji.isEmpty() || emoji.length() > 100) {
            throw new UndeliverableException("a reaction needs one emoji");
        }
        // custom emoji are "name:id" (from "<:name:id>"); unicode emoji go as they are, URL-encoded
        String e = emoji.matches("<a?:[A-Za-z0-9_]+:[0-9]+>") ? emoji.replaceAll("^<a?:|>$", "") : emoji;
        rest.json("PUT", "/channels/" + channel + "/messages/" + mid + "/reactions/"
                + URLEncoder.encode(e, StandardCharsets.UTF_8).replace("+", "%20") + "/@me", null);
    }

    private String card(String channel, JsonNode c) throws Exception {
        ObjectNode body = base(c.path("text").asText(""));
        ArrayNode rows = body.putArray("components");
        ArrayNode row = null; // the current row's components
        int n = 0;
        for (JsonNode b : c.path("buttons")) {
            String id = b.path("id").asText("");
            if (id.isEmpty() || id.length() > 100) {
                continue; // Discord's custom_id limit; the host's ids are at most 64 bytes
            }
            if (n == MAX_BUTTONS_PER_ROW * MAX_ROWS) {
                break;
            }
            if (n % MAX_BUTTONS_PER_ROW == 0) {
                row = rows.addObject().put("type", 1).putArray("components");
            }
            String label = b.path("label").asText("").strip();
            label = label.isEmpty() ? String.valueOf(n + 1) : label;
            row.addObject().put("type", 2).put("style", n == 0 ? 1 : 2)
                    .put("label", label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL - 1) + "…" : label)
                    .put("custom_id", id);
            n++;
        }
        return id(rest.json("POST", "/channels/" + channel + "/messages", body));
    }

    /** Text in pieces of at most 2000 characters; files (10 per message) with the first piece. */
    private String text(String channel, String text, List<Path> files) throws Exception {
        List<String> chunks = split(text, MAX_TEXT);
        List<List<Path>> groups = new ArrayList<>();
        for (int i = 0; i < files.size(); i += MAX_FILES_PER_MESSAGE) {
            groups.add(files.subList(i, Math.min(files.size(), i + MAX_FILES_PER_MESSAGE)));
        }
        if (chunks.isEmpty() && groups.isEmpty()) {
            throw new UndeliverableException("an empty message");
        }
        String first = null;
        int messages = Math.max(chunks.size(), groups.size());
        for (int i = 0; i < messages; i++) {
            String piece = i < chunks.size() ? chunks.get(i) : "";
            List<Path> group = i < groups.size() ? groups.get(i) : List.of();
            String id = group.isEmpty() ? id(rest.json("POST", "/channels/" + channel + "/messages", base(piece)))
                    : upload(channel, piece, group);
            first = first == null ? id : first;
        }
        return first;
    }

    private String upload(String channel, String text, List<Path> files) throws IOException {
        ObjectNode payload = base(text);
        ArrayNode atts = payload.putArray("attachments");
        Multipart form = new Multipart();
        for (int i = 0; i < files.size(); i++) {
            atts.addObject().put("id", i).put("filename", files.get(i).getFileName().toString());
        }
        form.field("payload_json", payload.toString());
        for (int i = 0; i < files.size(); i++) {
            form.file("files[" + i + "]", files.get(i));
        }
        return id(rest.multipart("POST", "/channels/" + channel + "/messages", form));
    }

    /** A message body: the text, and pings limited to users (an agent never pings @everyone or a role). */
    private ObjectNode base(String text) {
        ObjectNode body = mapper.createObjectNode();
        if (!text.isEmpty()) {
            body.put("content", clip(text));
        }
        body.putObject("allowed_mentions").putArray("parse").add("users");
        return body;
    }

    private static String id(JsonNode r) throws IOException {
        String id = r == null ? null : r.path("id").asText(null);
        if (id == null) {
            throw new IOException("Discord created the message but answered without its id");
        }
        return id;
    }

    private static String clip(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 1) + "…";
    }

    /** Normally the host has split already; this only guards the limit (paragraph, line, space, hard). */
    static List<String> split(String text, int max) {
        List<String> out = new ArrayList<>();
        String rest = text == null ? "" : text;
        while (rest.length() > max) {
            int cut = rest.lastIndexOf("\n\n", max);
            if (cut < max / 2) {
                cut = rest.lastIndexOf('\n', max);
            }
            if (cut < max / 2) {
                cut = rest.lastIndexOf(' ', max);
            }
            if (cut < max / 2) {
                cut = max;
                if (Character.isHighSurrogate(rest.charAt(cut - 1))) {
                    cut--;
                }
            }
            out.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        if (!rest.isBlank()) {
            out.add(rest);
        }
        return out;
    }
}
