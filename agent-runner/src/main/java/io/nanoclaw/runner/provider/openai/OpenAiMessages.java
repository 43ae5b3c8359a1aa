package io.nanoclaw.runner.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The history, kept in the Messages-API shape (the tool loop and the history file depend on it), as chat-completions
 * messages. Per turn:
 * <ul>
 *   <li>user: each tool_result becomes its own {@code tool} message, first (they must directly follow the assistant
 *       message that made the calls); text and images become one {@code user} message after them;</li>
 *   <li>assistant: text becomes {@code content}, tool_use blocks {@code tool_calls} with the input as a JSON string;
 *       thinking blocks are dropped (their signatures mean nothing to another API).</li>
 * </ul>
 * Chat-completions servers take text and images only, so documents (PDFs) and images inside tool results become a
 * short text note that tells the model what it can't see.
 */
final class OpenAiMessages {
    private OpenAiMessages() {}

    static ArrayNode translate(String system, List<ObjectNode> turns) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (system != null && !system.isEmpty()) {
            out.addObject().put("role", "system").put("content", system);
        }
        for (ObjectNode turn : turns) {
            List<JsonNode> blocks = blocks(turn.get("content"));
            if ("assistant".equals(Json.text(turn, "role"))) {
                assistant(blocks, out);
            } else {
                user(blocks, out);
            }
        }
        return out;
    }

    private static void user(List<JsonNode> blocks, ArrayNode out) {
        List<ObjectNode> parts = new ArrayList<>();
        boolean images = false;
        for (JsonNode b : blocks) {
            switch (String.valueOf(Json.text(b, "type"))) {
                case "tool_result" -> out.add(toolMessage(b));
                case "text" -> {
                    String text = Json.text(b, "text");
                    if (text != null && !text.isEmpty()) {
                        parts.add(textPart(text));
                    }
                }
                case "image" -> {
                    String url = imageUrl(b.get("source"));
                    if (url != null) {
                        ObjectNode part = Json.object().put("type", "image_url");
                        part.putObject("image_url").put("url", url);
                        parts.add(part);
                        images = true;
                    } else {
                        parts.add(textPart("[an image in a form this API can't take was left out]"));
                    }
                }
                case "document" -> parts.add(textPart(documentText(b)));
                default -> { } // block types of newer Messages-API features: nothing a chat server could use
            }
        }
        if (parts.isEmpty()) {
            return; // a turn of tool results only
        }
        ObjectNode message = out.addObject().put("role", "user");
        if (images) {
            ArrayNode content = message.putArray("content");
            parts.forEach(content::add);
        } else {
            // plain string content: every server takes it, while some small ones reject content-part arrays
            StringBuilder text = new StringBuilder();
            for (ObjectNode p : parts) {
                if (text.length() > 0) {
                    text.append("\n\n");
                }
                text.append(Json.text(p, "text"));
            }
            message.put("content", text.toString());
        }
    }

    private static void assistant(List<JsonNode> blocks, ArrayNode out) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (JsonNode b : blocks) {
            String type = String.valueOf(Json.text(b, "type"));
            if (type.equals("text")) {
                text.append(nonNull(Json.text(b, "text")));
            } else if (type.equals("tool_use")) {
                ObjectNode call = calls.addObject();
                call.put("id", Json.text(b, "id"));
                call.put("type", "function");
                JsonNode input = b.get("input");
                call.putObject("function")
                        .put("name", Json.text(b, "name"))
                        .put("arguments", input == null || input.isNull() ? "{}" : input.toString());
            }
            // thinking and redacted_thinking: dropped
        }
        ObjectNode message = out.addObject().put("role", "assistant");
        if (text.length() > 0) {
            message.put("content", text.toString());
        } else if (!calls.isEmpty()) {
            message.putNull("content"); // the API's form for "only tool calls"
        } else {
            message.put("content", "");
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
    }

    private static ObjectNode toolMessage(JsonNode result) {
        String text = contentText(result.get("content"));
        if (result.path("is_error").asBoolean(false)) {
            text = text.isEmpty() ? "Error" : "Error: " + text;
        }
        return Json.object()
                .put("role", "tool")
                .put("tool_call_id", Json.text(result, "tool_use_id"))
                .put("content", text);
    }

    /** A tool result's content as text: tool messages carry text only. */
    private static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : content) {
            String piece = switch (String.valueOf(Json.text(b, "type"))) {
                case "text" -> nonNull(Json.text(b, "text"));
                case "image" -> "[image ("
                        + Json.firstNonEmpty(Json.text(b.get("source"), "media_type"), "unknown type")
                        + ") not shown: this API takes no images in tool results]";
                case "document" -> documentText(b);
                default -> "";
            };
            if (!piece.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(piece);
            }
        }
        return sb.toString();
    }

    /** A plain-text document's text as is; any other document (a PDF) as a note. */
    private static String documentText(JsonNode doc) {
        JsonNode source = doc.get("source");
        String title = Json.text(doc, "title");
        if ("text".equals(Json.text(source, "type"))) {
            String data = nonNull(Json.text(source, "data"));
            return title == null ? data : title + ":\n" + data;
        }
        String media = Json.firstNonEmpty(Json.text(source, "media_type"), "unknown type");
        return "[document " + (title == null ? "" : "\"" + title + "\" ") + "(" + media
                + ") not shown: this model reads text and images only]";
    }

    private static String imageUrl(JsonNode source) {
        String type = Json.text(source, "type");
        if ("base64".equals(type)) {
            return "data:" + Json.text(source, "media_type") + ";base64," + Json.text(source, "data");
        }
        if ("url".equals(type)) {
            return Json.text(source, "url");
        }
        return null;
    }

    private static List<JsonNode> blocks(JsonNode content) {
        List<JsonNode> out = new ArrayList<>();
        if (content != null && content.isTextual()) {
            out.add(textPart(content.textValue()));
        } else if (content != null && content.isArray()) {
            content.forEach(out::add);
        }
        return out;
    }

    private static ObjectNode textPart(String text) {
        return Json.object().put("type", "text").put("text", text);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
