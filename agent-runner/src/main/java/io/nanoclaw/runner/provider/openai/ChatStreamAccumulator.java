package io.nanoclaw.runner.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.provider.TokenUsage;
import io.nanoclaw.runner.provider.sse.SseEvent;
import io.nanoclaw.runner.provider.sse.StreamAccumulator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds the reply from a chat-completions stream: {@code chat.completion.chunk} objects in {@code data:} lines,
 * then {@code data: [DONE]}. Text arrives as {@code delta.content} pieces; each tool call as
 * {@code delta.tool_calls[]} fragments keyed by {@code index}, the id and function name in the first one and the
 * arguments JSON cut into string pieces over the rest. The usage chunk (asked for with include_usage) comes last,
 * with an empty {@code choices}. The reply is given back in the Messages-API shape the tool loop and history keep:
 * one text block, then one tool_use block per call.
 */
public final class ChatStreamAccumulator implements StreamAccumulator {
    /** One tool call in the making. */
    private static final class Call {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    private final StringBuilder text = new StringBuilder();
    private final TreeMap<Integer, Call> calls = new TreeMap<>();
    private int lastCall = -1;
    private String finishReason;
    private boolean done;
    private long promptTokens;
    private long completionTokens;
    private long cachedTokens;

    @Override
    public void accept(SseEvent event) throws ProviderException {
        String data = event.data().strip();
        if (data.equals("[DONE]")) {
            done = true;
            return;
        }
        JsonNode chunk;
        try {
            chunk = Json.parse(data);
        } catch (IOException e) {
            throw new ProviderException("malformed chunk in the model stream");
        }
        if (chunk == null || !chunk.isObject()) {
            return;
        }
        if (chunk.has("error")) {
            // OpenRouter and others report failures after the 200 this way
            throw new ProviderException(OpenAiErrors.describeStreamError(chunk));
        }
        readUsage(chunk.get("usage"));
        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray()) {
            return;
        }
        for (JsonNode choice : choices) {
            if (choice.path("index").asInt(0) != 0) {
                continue; // n=1 is all we ask for
            }
            JsonNode delta = choice.get("delta");
            if (delta != null && delta.isObject()) {
                text.append(nonNull(Json.text(delta, "content")));
                // a refusal replaces the content; the user should read it rather than get nothing
                text.append(nonNull(Json.text(delta, "refusal")));
                JsonNode toolCalls = delta.get("tool_calls");
                if (toolCalls != null && toolCalls.isArray()) {
                    toolCalls.forEach(this::readToolCall);
                }
            }
            String reason = Json.text(choice, "finish_reason");
            if (reason != null) {
                finishReason = reason;
            }
        }
    }

    @Override
    public boolean finished() {
        return done;
    }

    @Override
    public ModelReply reply() throws ProviderException {
        if (!done && finishReason == null) {
            throw new ProviderException("the model stream ended before its finish_reason");
        }
        List<ObjectNode> content = new ArrayList<>(1 + calls.size());
        if (text.length() > 0) {
            content.add(Json.object().put("type", "text").put("text", text.toString()));
        }
        Map<String, String> malformed = new java.util.LinkedHashMap<>();
        for (Map.Entry<Integer, Call> e : calls.entrySet()) {
            content.add(toolUse(e.getKey(), e.getValue(), malformed));
        }
        // chat-completions counts cached tokens inside prompt_tokens; TokenUsage keeps them apart, as Anthropic does
        long cached = Math.min(cachedTokens, promptTokens);
        return new ModelReply(text.toString(), stopReason(finishReason, !calls.isEmpty()),
                new TokenUsage(promptTokens - cached, completionTokens, cached, 0), content, malformed);
    }

    /** finish_reason in the Messages-API words the tool loop acts on. */
    static String stopReason(String finishReason, boolean hasCalls) {
        if (finishReason == null) {
            return hasCalls ? "tool_use" : "end_turn";
        }
        return switch (finishReason) {
            // some servers (older Ollama builds among them) say "stop" even when the answer is tool calls
            case "stop" -> hasCalls ? "tool_use" : "end_turn";
            case "tool_calls", "function_call" -> "tool_use";
            case "length" -> "max_tokens";
            case "content_filter" -> "refusal";
            default -> finishReason;
        };
    }

    private void readToolCall(JsonNode fragment) {
        String id = Json.text(fragment, "id");
        int index = fragment.path("index").isInt() ? fragment.get("index").intValue() : indexWithoutField(id);
        Call call = calls.computeIfAbsent(index, i -> new Call());
        lastCall = index;
        if (call.id == null && id != null && !id.isEmpty()) {
            call.id = id;
        }
        JsonNode function = fragment.get("function");
        if (function == null || !function.isObject()) {
            return;
        }
        String name = Json.text(function, "name");
        if (call.name == null && name != null && !name.isEmpty()) {
            call.name = name;
        }
        JsonNode arguments = function.get("arguments");
        if (arguments != null && arguments.isTextual()) {
            call.arguments.append(arguments.textValue());
        } else if (arguments != null && arguments.isObject() && call.arguments.length() == 0) {
            call.arguments.append(arguments); // a server that sends the arguments as an object, not as a string
        }
    }

    /** Servers that leave out {@code index} send whole calls: a new id starts a call, no id continues the last. */
    private int indexWithoutField(String id) {
        if (id == null || id.isEmpty()) {
            return Math.max(lastCall, 0);
        }
        for (Map.Entry<Integer, Call> e : calls.entrySet()) {
            if (id.equals(e.getValue().id)) {
                return e.getKey();
            }
        }
        return calls.isEmpty() ? 0 : calls.lastKey() + 1;
    }

    /**
     * The call as a tool_use block. Arguments that are not a JSON object leave the block with {@code {}} and are
     * listed in {@code malformed}: the tool loop answers such a call with an error the model can correct.
     */
    private static ObjectNode toolUse(int index, Call call, Map<String, String> malformed) {
        ObjectNode block = Json.object();
        block.put("type", "tool_use");
        // an id is needed to pair the result with the call; a server that sends none gets one of ours
        block.put("id", call.id != null ? call.id
                : "call_" + index + "_" + UUID.randomUUID().toString().substring(0, 8));
        block.put("name", call.name == null ? "" : call.name);
        String json = call.arguments.toString();
        if (json.isBlank()) {
            block.set("input", Json.object()); // a call without arguments
            return block;
        }
        JsonNode input;
        try {
            input = Json.parse(json);
        } catch (IOException e) {
            input = null;
        }
        if (input == null || !input.isObject()) {
            block.set("input", Json.object());
            malformed.put(Json.text(block, "id"), json);
            return block;
        }
        block.set("input", input);
        return block;
    }

    private void readUsage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return; // OpenAI sends "usage": null on every chunk before the last
        }
        promptTokens = longOr(usage, "prompt_tokens", promptTokens);
        completionTokens = longOr(usage, "completion_tokens", completionTokens);
        JsonNode details = usage.get("prompt_tokens_details");
        if (details != null && details.isObject()) {
            cachedTokens = longOr(details, "cached_tokens", cachedTokens);
        }
    }

    private static long longOr(JsonNode n, String field, long fallback) {
        JsonNode v = n.get(field);
        return v != null && v.isNumber() ? v.longValue() : fallback;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
