package io.nanoclaw.runner.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.tools.Tool;
import java.util.List;

/**
 * The streaming POST /v1/messages body. Prompt caching (agent-runner.md 8.5) uses three of the API's four
 * ephemeral {@code cache_control} breakpoints: the last tool, the system block, and the last content block of the
 * newest user message (a moving breakpoint, so each call reads what the previous one wrote). Tools and system
 * come out byte-identical on every call as long as the caller keeps them so.
 */
public final class AnthropicRequestBody {
    /** The API's limit on cache_control breakpoints in one request. */
    public static final int MAX_CACHE_BREAKPOINTS = 4;

    private AnthropicRequestBody() {}

    public static ObjectNode build(String model, int maxTokens, ModelRequest request) {
        return build(model, maxTokens, null, request);
    }

    /** With extended thinking when {@code thinking} is set (max_tokens then grows to leave room for the answer). */
    public static ObjectNode build(String model, int maxTokens, Thinking thinking, ModelRequest request) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("max_tokens", thinking == null ? maxTokens : thinking.maxTokens(maxTokens));
        if (thinking != null) {
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", thinking.budgetTokens());
        }
        if (request.system() != null && !request.system().isEmpty()) {
            ArrayNode system = body.putArray("system");
            ObjectNode block = system.addObject().put("type", "text").put("text", request.system());
            block.set("cache_control", ephemeral());
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            List<Tool> list = request.tools();
            for (int i = 0; i < list.size(); i++) {
                Tool t = list.get(i);
                ObjectNode def = tools.addObject();
                def.put("name", t.name());
                def.put("description", t.description());
                def.set("input_schema", t.inputSchema());
                if (i == list.size() - 1) {
                    def.set("cache_control", ephemeral());
                }
            }
        }
        ArrayNode messages = body.putArray("messages");
        int newestUser = -1;
        for (int i = 0; i < request.messages().size(); i++) {
            if ("user".equals(Json.text(request.messages().get(i), "role"))) {
                newestUser = i;
            }
        }
        for (int i = 0; i < request.messages().size(); i++) {
            ObjectNode m = request.messages().get(i);
            messages.add(i == newestUser ? withCacheBreakpoint(m) : m);
        }
        body.put("stream", true);
        return body;
    }

    /** A copy of the turn with cache_control on its last content block (the history itself stays clean). */
    private static ObjectNode withCacheBreakpoint(ObjectNode turn) {
        JsonNode content = turn.get("content");
        ObjectNode copy = turn.deepCopy();
        if (content != null && content.isTextual()) {
            ArrayNode blocks = copy.putArray("content");
            blocks.addObject().put("type", "text").put("text", content.textValue()).set("cache_control", ephemeral());
        } else if (content != null && content.isArray() && !content.isEmpty()) {
            ArrayNode blocks = (ArrayNode) copy.get("content");
            JsonNode last = blocks.get(blocks.size() - 1);
            if (last instanceof ObjectNode o) {
                o.set("cache_control", ephemeral());
            }
        }
        return copy;
    }

    private static ObjectNode ephemeral() {
        return Json.object().put("type", "ephemeral");
    }
}
