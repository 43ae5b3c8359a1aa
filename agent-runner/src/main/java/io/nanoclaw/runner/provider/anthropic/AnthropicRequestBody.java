package io.nanoclaw.runner.provider.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.ModelRequest;

/** The streaming POST /v1/messages body. Tools, thinking and cache_control come with later issues. */
public final class AnthropicRequestBody {
    private AnthropicRequestBody() {}

    public static ObjectNode build(String model, int maxTokens, ModelRequest request) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("max_tokens", maxTokens);
        if (request.system() != null && !request.system().isEmpty()) {
            body.put("system", request.system());
        }
        ArrayNode messages = body.putArray("messages");
        request.messages().forEach(messages::add);
        body.put("stream", true);
        return body;
    }
}
