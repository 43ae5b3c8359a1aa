package io.nanoclaw.runner.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.JsStringify;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.InboundRow;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a batch of inbound rows into the prompt text, byte for byte as the original's formatter
 * (agent-runner.md 1.7): a timezone header, then chats, tasks, webhooks and system rows, grouped by kind.
 * Routing columns never reach the agent; only the destination name does, as {@code from}.
 */
public final class MessageFormatter {
    private final ZoneId zone;
    private final DestinationLookup destinations;

    public MessageFormatter(ZoneId zone, DestinationLookup destinations) {
        this.zone = zone;
        this.destinations = destinations;
    }

    public String format(List<InboundRow> rows) throws SQLException {
        String header = "<context timezone=\"" + Xml.escape(zone.getId()) + "\" />\n";
        if (rows.isEmpty()) {
            return header;
        }
        List<InboundRow> chats = new ArrayList<>();
        List<InboundRow> tasks = new ArrayList<>();
        List<InboundRow> webhooks = new ArrayList<>();
        List<InboundRow> systems = new ArrayList<>();
        for (InboundRow r : rows) {
            switch (String.valueOf(r.kind())) {
                case MessageKind.CHAT, MessageKind.CHAT_SDK -> chats.add(r);
                case MessageKind.TASK -> tasks.add(r);
                case MessageKind.WEBHOOK -> webhooks.add(r);
                case MessageKind.SYSTEM -> systems.add(r);
                default -> { } // unknown kinds are not shown, as upstream
            }
        }
        List<String> parts = new ArrayList<>();
        if (!chats.isEmpty()) {
            parts.add(formatChats(chats));
        }
        for (InboundRow r : tasks) {
            parts.add(formatTask(r));
        }
        for (InboundRow r : webhooks) {
            parts.add(formatWebhook(r));
        }
        for (InboundRow r : systems) {
            parts.add(formatSystem(r));
        }
        return header + String.join("\n\n", parts);
    }

    private String formatChats(List<InboundRow> chats) throws SQLException {
        if (chats.size() == 1) {
            return formatChat(chats.get(0));
        }
        StringBuilder sb = new StringBuilder("<messages>");
        for (InboundRow r : chats) {
            sb.append('\n').append(formatChat(r));
        }
        return sb.append("\n</messages>").toString();
    }

    private String formatChat(InboundRow row) throws SQLException {
        JsonNode c = RowContent.parse(row.content());
        JsonNode author = c.get("author");
        String sender = Json.firstNonEmpty(Json.text(c, "sender"), Json.text(author, "fullName"),
                Json.text(author, "userName"), "Unknown");
        JsonNode replyTo = c.get("replyTo");
        JsonNode replyId = replyTo == null ? null : replyTo.get("id");
        StringBuilder sb = new StringBuilder("<message");
        if (row.seq() != null) {
            sb.append(" id=\"").append(row.seq()).append('"');
        }
        sb.append(originAttr(row));
        sb.append(" sender=\"").append(Xml.escape(sender)).append('"');
        sb.append(" time=\"").append(Xml.escape(LocalTimes.format(row.timestamp(), zone))).append('"');
        if (Json.truthy(replyId)) {
            sb.append(" reply_to=\"").append(Xml.escape(scalarText(replyId))).append('"');
        }
        sb.append('>');
        sb.append(quote(replyTo));
        sb.append(Xml.escape(RowContent.text(c)));
        sb.append(attachments(c.get("attachments")));
        return sb.append("</message>").toString();
    }

    /** Shown only when the replied-to message has both a sender and a text; otherwise reply_to alone links it. */
    private static String quote(JsonNode replyTo) {
        if (replyTo == null || !replyTo.isObject()) {
            return "";
        }
        String sender = Json.text(replyTo, "sender");
        String text = Json.text(replyTo, "text");
        if (sender == null || sender.isEmpty() || text == null || text.isEmpty()) {
            return "";
        }
        return "\n  <quoted_message from=\"" + Xml.escape(sender) + "\">" + Xml.escape(text) + "</quoted_message>\n";
    }

    private static String attachments(JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode a : list) {
            String name = Json.firstNonEmpty(Json.text(a, "name"), Json.text(a, "filename"), "attachment");
            String type = Json.firstNonEmpty(Json.text(a, "type"), "file");
            String localPath = Json.text(a, "localPath");
            String url = Json.text(a, "url");
            sb.append("\n[").append(type).append(": ").append(Xml.escape(name));
            if (localPath != null && !localPath.isEmpty()) {
                sb.append(" \u2014 saved to ").append(Xml.escape("/workspace/" + localPath));
            } else if (url != null && !url.isEmpty()) {
                sb.append(" (").append(Xml.escape(url)).append(')');
            }
            sb.append(']');
        }
        return sb.toString();
    }

    private String formatTask(InboundRow row) throws SQLException {
        JsonNode c = RowContent.parse(row.content());
        StringBuilder body = new StringBuilder();
        JsonNode scriptOutput = c.get("scriptOutput");
        if (Json.truthy(scriptOutput)) {
            body.append("Script output:\n").append(JsStringify.stringify(scriptOutput, 2)).append("\n\n");
        }
        String prompt = Json.text(c, "prompt");
        body.append("Instructions:\n").append(prompt == null ? "" : prompt);
        return "<task" + originAttr(row) + " time=\"" + Xml.escape(LocalTimes.format(row.timestamp(), zone)) + "\">"
                + body + "</task>";
    }

    private String formatWebhook(InboundRow row) throws SQLException {
        JsonNode c = RowContent.parse(row.content());
        String source = Json.firstNonEmpty(Json.text(c, "source"), "unknown");
        String event = Json.firstNonEmpty(Json.text(c, "event"), "unknown");
        JsonNode payload = Json.truthy(c.get("payload")) ? c.get("payload") : c;
        return "<webhook" + originAttr(row) + " source=\"" + Xml.escape(source) + "\" event=\"" + Xml.escape(event)
                + "\">" + JsStringify.stringify(payload, 2) + "</webhook>";
    }

    private String formatSystem(InboundRow row) throws SQLException {
        JsonNode c = RowContent.parse(row.content());
        String action = Json.firstNonEmpty(Json.text(c, "action"), "unknown");
        String status = Json.firstNonEmpty(Json.text(c, "status"), "unknown");
        JsonNode result = Json.truthy(c.get("result")) ? c.get("result") : null;
        return "<system_response" + originAttr(row) + " action=\"" + Xml.escape(action) + "\" status=\""
                + Xml.escape(status) + "\">" + JsStringify.stringify(result, 0) + "</system_response>";
    }

    /** {@code from="name"} for a known origin, {@code from="unknown:ct:pid"} otherwise, nothing without routing. */
    private String originAttr(InboundRow row) throws SQLException {
        String ct = row.channelType();
        String pid = row.platformId();
        boolean hasCt = ct != null && !ct.isEmpty();
        boolean hasPid = pid != null && !pid.isEmpty();
        if (hasCt && hasPid) {
            Optional<String> name = destinations.nameFor(ct, pid);
            if (name.isPresent()) {
                return " from=\"" + Xml.escape(name.get()) + "\"";
            }
        }
        if (hasCt || hasPid) {
            return " from=\"unknown:" + Xml.escape(hasCt ? ct : "") + ":" + Xml.escape(hasPid ? pid : "") + "\"";
        }
        return "";
    }

    private static String scalarText(JsonNode v) {
        return v.isNumber() ? JsStringify.stringify(v, 0) : v.asText();
    }
}
