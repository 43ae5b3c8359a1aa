package io.nanoclaw.runner.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.tools.Tool;

/**
 * The streaming POST /chat/completions body. {@code stream_options.include_usage} asks for the final usage chunk
 * (token counts, for the log and the compaction trigger). Tools keep the order the caller gives, so servers with a
 * prompt cache (vLLM, llama.cpp, OpenAI) can reuse the prefix from call to call.
 */
final class OpenAiRequestBody {
    private OpenAiRequestBody() {}

    static ObjectNode build(String model, int maxTokens, ModelRequest request) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.set("messages", OpenAiMessages.translate(request.system(), request.messages()));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (Tool t : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", t.name());
                function.put("description", t.description());
                function.set("parameters", t.inputSchema());
            }
        }
        // max_tokens, not max_completion_tokens: the local servers this provider is mostly for know only the former
        body.put("max_tokens", maxTokens);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body;
    }
}
