package io.nanoclaw.host.channels.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.OutboundMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four outbound shapes (ChannelAdapter's javadoc) as Web API calls: text → chat.postMessage; a choice card →
 * chat.postMessage with a section and actions blocks (one button per choice, action_id = value = the button id, at
 * most 25 per actions block) and the text as fallback; an edit → chat.update with {@code blocks: []} (an answered
 * card loses its buttons); a reaction → reactions.add; files → files.getUploadURLExternal, the bytes to its
 * upload_url, then one files.completeUploadExternal with the text as initial_comment. Replies go in the thread when
 * there is one ({@code thread_ts}). Returns the message's ts, Slack's id for edits and reactions.
 */
final class SlackOutbound {
    static final int MAX_BUTTON_LABEL = 75;
    static final int MAX_SECTION_TEXT = 3000;
    private static final Pattern EDITED_ID = Pattern.compile("^([0-9]+\\.[0-9]+)\\.e.*$");

    private final SlackApi api;
    private final ObjectMapper mapper = new ObjectMapper();

    SlackOutbound(SlackApi api) {
        this.api = api;
    }

    String deliver(String channel, String threadId, OutboundMessage message) throws IOException {
        JsonNode content = message.content();
        String op = content == null ? "" : content.path("operation").asText("");
        if (op.equals("edit")) {
            ObjectNode b = mapper.createObjectNode().put("channel", channel)
                    .put("ts", baseTs(content.path("messageId").asText()))
                    .put("text", SlackText.toMrkdwn(content.path("text").asText("")));
            b.putArray("blocks");
            return api.call("chat.update", b).path("ts").asText(null);
        }
        if (op.equals("reaction")) {
            ObjectNode b = mapper.createObjectNode().put("channel", channel)
                    .put("timestamp", baseTs(content.path("messageId").asText()))
                    .put("name", SlackText.emojiName(content.path("emoji").asText("")));
            try {
                api.call("reactions.add", b);
            } catch (SlackApiException e) {
                if (!"already_reacted".equals(e.error())) {
                    throw e;
                }
            }
            return null;
        }
        if (content != null && "choice_card".equals(content.path("type").asText())) {
            return post(channel, threadId, cardText(content), cardBlocks(content));
        }
        if (!message.files().isEmpty()) {
            return upload(channel, threadId, message.text(), message.files());
        }
        if (message.text().isBlank()) {
            return null;
        }
        return post(channel, threadId, SlackText.toMrkdwn(message.text()), null);
    }

    private String post(String channel, String threadId, String text, ArrayNode blocks) throws IOException {
        ObjectNode b = mapper.createObjectNode().put("channel", channel).put("text", text);
        if (threadId != null && !threadId.isEmpty()) {
            b.put("thread_ts", threadId);
        }
        if (blocks != null) {
            b.set("blocks", blocks);
        }
        return api.call("chat.postMessage", b).path("ts").asText(null);
    }

    private static String cardText(JsonNode card) {
        String title = card.path("title").asText("");
        String question = card.path("question").asText("");
        return SlackText.escape(title.isBlank() ? question : question.isBlank() ? title : title + "\n\n" + question);
    }

    ArrayNode cardBlocks(JsonNode card) {
        ArrayNode blocks = mapper.createArrayNode();
        String title = card.path("title").asText("");
        String question = card.path("question").asText("");
        String section = (title.isBlank() ? "" : "*" + SlackText.escape(title) + "*")
                + (title.isBlank() || question.isBlank() ? "" : "\n\n") + SlackText.toMrkdwn(question);
        if (!section.isBlank()) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                    .put("text", cut(section, MAX_SECTION_TEXT));
        }
        ArrayNode elements = null;
        int n = 0;
        for (JsonNode button : card.path("buttons")) {
            if (elements == null || elements.size() == 25) {
                ObjectNode actions = blocks.addObject().put("type", "actions").put("block_id", "ncq-" + n++);
                elements = actions.putArray("elements");
            }
            String id = button.path("id").asText();
            ObjectNode e = elements.addObject().put("type", "button").put("action_id", id).put("value", id);
            e.putObject("text").put("type", "plain_text")
                    .put("text", cut(button.path("label").asText(id), MAX_BUTTON_LABEL)).put("emoji", true);
        }
        return blocks;
    }

    private String upload(String channel, String threadId, String text, List<Path> files) throws IOException {
        ArrayNode uploaded = mapper.createArrayNode();
        for (Path p : files) {
            byte[] data = Files.readAllBytes(p);
            String name = p.getFileName().toString();
            Map<String, String> form = new LinkedHashMap<>();
            form.put("filename", name);
            form.put("length", Long.toString(data.length));
            JsonNode r = api.callForm("files.getUploadURLExternal", form);
            String url = r.path("upload_url").asText("");
            String fileId = r.path("file_id").asText("");
            if (url.isEmpty() || fileId.isEmpty()) {
                throw new IOException("files.getUploadURLExternal answered without upload_url or file_id");
            }
            api.upload(url, data);
            uploaded.addObject().put("id", fileId).put("title", name);
        }
        ObjectNode b = mapper.createObjectNode();
        b.set("files", uploaded);
        b.put("channel_id", channel);
        if (threadId != null && !threadId.isEmpty()) {
            b.put("thread_ts", threadId);
        }
        if (text != null && !text.isBlank()) {
            b.put("initial_comment", SlackText.toMrkdwn(text));
        }
        JsonNode done = api.call("files.completeUploadExternal", b);
        return shareTs(done, channel);
    }

    /** The ts of the message that shares the first file, when Slack already says (it may fill shares later). */
    static String shareTs(JsonNode done, String channel) {
        JsonNode shares = done.path("files").path(0).path("shares");
        for (String kind : new String[] {"public", "private"}) {
            JsonNode ts = shares.path(kind).path(channel).path(0).get("ts");
            if (ts != null && ts.isTextual()) {
                return ts.asText();
            }
        }
        return null;
    }

    /** An edited message's id ("<ts>.e<editTs>") names the original message to Slack. */
    static String baseTs(String messageId) {
        Matcher m = EDITED_ID.matcher(messageId == null ? "" : messageId);
        return m.matches() ? m.group(1) : messageId;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
