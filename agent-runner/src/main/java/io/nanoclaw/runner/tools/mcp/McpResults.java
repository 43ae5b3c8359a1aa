package io.nanoclaw.runner.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.tools.ToolResult;
import java.util.Set;

/**
 * Maps a {@code tools/call} result to a tool result: text blocks stay text, images become Messages-API image
 * blocks, other content (audio, binary resources) is named but left out, since a tool_result cannot carry it.
 */
final class McpResults {
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private McpResults() {}

    static ToolResult toToolResult(JsonNode result) {
        if (result == null || !result.isObject()) {
            return ToolResult.error("The MCP server returned a malformed result (not an object)");
        }
        boolean isError = result.path("isError").asBoolean(false);
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        boolean media = false;
        JsonNode content = result.get("content");
        if (content != null && content.isArray()) {
            for (JsonNode item : content) {
                media |= add(blocks, item);
            }
        }
        JsonNode structured = result.get("structuredContent");
        if (blocks.isEmpty() && structured != null && !structured.isNull()) {
            text(blocks, structured.toString());
        }
        if (blocks.isEmpty()) {
            String none = isError ? "The tool reported an error without details" : "(the tool returned no content)";
            return new ToolResult(none, null, isError);
        }
        if (media) {
            return new ToolResult(null, blocks, isError);
        }
        StringBuilder joined = new StringBuilder();
        for (JsonNode b : blocks) {
            if (joined.length() > 0) {
                joined.append('\n');
            }
            joined.append(b.path("text").asText());
        }
        return new ToolResult(joined.toString(), null, isError);
    }

    /** Adds one content item; returns whether it was an image block. */
    private static boolean add(ArrayNode blocks, JsonNode item) {
        String type = Json.text(item, "type");
        String mime = Json.text(item, "mimeType");
        switch (type == null ? "" : type) {
            case "text" -> text(blocks, item.path("text").asText(""));
            case "image" -> {
                String data = Json.text(item, "data");
                if (data != null && mime != null && IMAGE_TYPES.contains(mime)) {
                    ObjectNode image = blocks.addObject();
                    image.put("type", "image");
                    ObjectNode source = image.putObject("source");
                    source.put("type", "base64");
                    source.put("media_type", mime);
                    source.put("data", data);
                    return true;
                }
                text(blocks, "[an image of type " + mime + " was left out: only PNG, JPEG, GIF and WebP can be shown]");
            }
            case "audio" -> text(blocks, "[audio (" + mime + ") was left out: it cannot be shown here]");
            case "resource" -> {
                JsonNode r = item.path("resource");
                String uri = Json.text(r, "uri");
                String text = Json.text(r, "text");
                text(blocks, text != null
                        ? "[resource " + uri + "]\n" + text
                        : "[binary resource " + uri + " (" + Json.text(r, "mimeType") + ") was left out]");
            }
            case "resource_link" -> text(blocks, "[resource link: " + Json.firstNonEmpty(Json.text(item, "name"), "")
                    + " " + Json.text(item, "uri") + "]");
            default -> text(blocks, "[content of type " + type + " was left out]");
        }
        return false;
    }

    private static void text(ArrayNode blocks, String text) {
        ObjectNode b = blocks.addObject();
        b.put("type", "text");
        b.put("text", text);
    }
}
