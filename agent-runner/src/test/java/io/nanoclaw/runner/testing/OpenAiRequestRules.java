package io.nanoclaw.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the real chat-completions API refuses with a 400, in its own words: the first problem of a request body, or
 * null when the API would take it.
 */
public final class OpenAiRequestRules {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private OpenAiRequestRules() {}

    public static String problem(JsonNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            return "you must provide a model parameter";
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            return "Invalid type for 'model': expected a non-empty string.";
        }
        String messages = messages(body.get("messages"));
        if (messages != null) {
            return messages;
        }
        String tools = tools(body.get("tools"));
        if (tools != null) {
            return tools;
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            return "Invalid type for 'stream': expected a boolean.";
        }
        if (body.has("stream_options") && (stream == null || !stream.asBoolean())) {
            return "The 'stream_options' parameter is only allowed when 'stream' is enabled.";
        }
        JsonNode max = body.get("max_tokens");
        if (max != null && !max.isNull() && (!max.isIntegralNumber() || max.asLong() < 1)) {
            return "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1.";
        }
        return null;
    }

    private static String messages(JsonNode messages) {
        if (messages == null) {
            return "Missing required parameter: 'messages'.";
        }
        if (!messages.isArray()) {
            return "Invalid type for 'messages': expected an array of objects, but got " + kind(messages)
                    + " instead.";
        }
        if (messages.isEmpty()) {
            return "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty "
                    + "array instead.";
        }
        Set<String> pending = new LinkedHashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            if (!m.isObject()) {
                return "Invalid type for '" + at + "': expected an object, but got " + kind(m) + " instead.";
            }
            String role = m.path("role").asText(null);
            if (role == null) {
                return "Missing required parameter: '" + at + ".role'.";
            }
            if (!ROLES.contains(role)) {
                return "Invalid value: '" + role + "'. Supported values are: 'system', 'assistant', 'user', "
                        + "'tool', 'function', and 'developer'.";
            }
            if (role.equals("tool")) {
                String id = m.path("tool_call_id").asText(null);
                if (id == null) {
                    return "Missing required parameter: '" + at + ".tool_call_id'.";
                }
                if (!pending.remove(id)) {
                    return "Invalid parameter: messages with role 'tool' must be a response to a preceeding "
                            + "message with 'tool_calls'.";
                }
                String content = textContent(m.get("content"), at, false);
                if (content != null) {
                    return content;
                }
                continue;
            }
            if (!pending.isEmpty()) {
                return unanswered(pending);
            }
            if (role.equals("assistant")) {
                String calls = toolCalls(m.get("tool_calls"), at, pending);
                if (calls != null) {
                    return calls;
                }
                JsonNode content = m.get("content");
                if ((content == null || content.isNull()) && pending.isEmpty()) {
                    return "Invalid value for '" + at + ".content': expected a string, got null.";
                }
                if (content != null && !content.isNull()) {
                    String problem = textContent(content, at, false);
                    if (problem != null) {
                        return problem;
                    }
                }
            } else {
                String problem = textContent(m.get("content"), at, role.equals("user"));
                if (problem != null) {
                    return problem;
                }
            }
        }
        return pending.isEmpty() ? null : unanswered(pending);
    }

    private static String unanswered(Set<String> pending) {
        return "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                + "'tool_call_id'. The following tool_call_ids did not have response messages: "
                + String.join(", ", pending);
    }

    private static String toolCalls(JsonNode calls, String at, Set<String> pending) {
        if (calls == null || calls.isNull()) {
            return null;
        }
        if (!calls.isArray()) {
            return "Invalid type for '" + at + ".tool_calls': expected an array of objects.";
        }
        if (calls.isEmpty()) {
            return "Invalid '" + at + ".tool_calls': empty array. Expected an array with minimum length 1, but got "
                    + "an empty array instead.";
        }
        for (int k = 0; k < calls.size(); k++) {
            JsonNode c = calls.get(k);
            String where = at + ".tool_calls[" + k + "]";
            if (!c.path("id").isTextual() || c.path("id").asText().isEmpty()) {
                return "Missing required parameter: '" + where + ".id'.";
            }
            if (!"function".equals(c.path("type").asText(null))) {
                return "Missing required parameter: '" + where + ".type'.";
            }
            JsonNode f = c.get("function");
            if (f == null || !f.isObject() || !f.path("name").isTextual()) {
                return "Missing required parameter: '" + where + ".function.name'.";
            }
            JsonNode args = f.get("arguments");
            if (args == null || !args.isTextual()) {
                return "Invalid type for '" + where + ".function.arguments': expected a string, but got "
                        + (args == null ? "nothing" : kind(args)) + " instead.";
            }
            pending.add(c.get("id").asText());
        }
        return null;
    }

    /** String content, or an array of content parts (images only where {@code images}). */
    private static String textContent(JsonNode content, String at, boolean images) {
        if (content == null || content.isNull()) {
            return "Missing required parameter: '" + at + ".content'.";
        }
        if (content.isTextual()) {
            return null;
        }
        if (!content.isArray() || content.isEmpty()) {
            return "Invalid type for '" + at + ".content': expected one of a string or array of objects, but got "
                    + kind(content) + " instead.";
        }
        for (int k = 0; k < content.size(); k++) {
            JsonNode part = content.get(k);
            String type = part.path("type").asText("");
            String where = at + ".content[" + k + "]";
            if (type.equals("text")) {
                if (!part.path("text").isTextual()) {
                    return "Missing required parameter: '" + where + ".text'.";
                }
            } else if (type.equals("image_url") && images) {
                String url = part.path("image_url").path("url").asText("");
                if (!(url.startsWith("data:image/") && url.contains(";base64,")) && !url.startsWith("https://")) {
                    return "Invalid '" + where + ".image_url.url': expected a base64-encoded data URL with an "
                            + "image MIME type or a URL.";
                }
            } else {
                return "Invalid value: '" + type + "'. Supported values are: 'text'"
                        + (images ? ", 'image_url'" : "") + ".";
            }
        }
        return null;
    }

    private static String tools(JsonNode tools) {
        if (tools == null) {
            return null;
        }
        if (!tools.isArray()) {
            return "Invalid type for 'tools': expected an array of objects.";
        }
        if (tools.isEmpty()) {
            return "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array "
                    + "instead.";
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String at = "tools[" + i + "]";
            if (!t.has("type")) {
                return "Missing required parameter: '" + at + ".type'.";
            }
            if (!"function".equals(t.path("type").asText())) {
                return "Invalid value: '" + t.path("type").asText() + "'. Supported values are: 'function' and "
                        + "'custom'.";
            }
            JsonNode f = t.get("function");
            if (f == null || !f.isObject()) {
                return "Missing required parameter: '" + at + ".function'.";
            }
            if (!FUNCTION_NAME.matcher(f.path("name").asText("")).matches()) {
                return "Invalid '" + at + ".function.name': string does not match pattern. Expected a string that "
                        + "matches the pattern '^[a-zA-Z0-9_-]+$'.";
            }
            JsonNode params = f.get("parameters");
            if (params != null && !params.isObject()) {
                return "Invalid type for '" + at + ".function.parameters': expected an object.";
            }
        }
        return null;
    }

    private static String kind(JsonNode n) {
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isNumber()) {
            return "a number";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
