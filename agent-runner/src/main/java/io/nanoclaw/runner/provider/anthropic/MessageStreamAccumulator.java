package io.nanoclaw.runner.provider.anthropic;

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

/**
 * Builds the reply from the Messages API event stream: message_start, then per content block a
 * content_block_start, deltas and content_block_stop, then message_delta (stop reason, usage) and message_stop;
 * ping may come anywhere and an error event ends the call. Unknown event types are ignored, as the API's
 * versioning policy asks of clients.
 *
 * <p>Content blocks are kept as received so the assistant turn can be sent back unchanged: text (text_delta),
 * thinking (thinking_delta, then signature_delta), tool_use (its input streamed as input_json_delta pieces,
 * concatenated and parsed at the end), and any other block type (redacted_thinking, server tool blocks) as its
 * content_block_start carried it.
 */
public final class MessageStreamAccumulator implements StreamAccumulator {
    /** One content block in the making. */
    private static final class Block {
        final ObjectNode start;
        final StringBuilder text = new StringBuilder();
        final StringBuilder thinking = new StringBuilder();
        final StringBuilder signature = new StringBuilder();
        StringBuilder partialJson;

        Block(ObjectNode start) {
            this.start = start;
        }
    }

    private final Map<Integer, Block> blocks = new TreeMap<>();
    private String stopReason;
    private boolean started;
    private boolean stopped;
    private long inputTokens;
    private long outputTokens;
    private long cacheRead;
    private long cacheCreation;

    @Override
    public void accept(SseEvent event) throws ProviderException {
        JsonNode data;
        try {
            data = Json.parse(event.data());
        } catch (IOException e) {
            throw new ProviderException("malformed event in the model stream");
        }
        String type = "message".equals(event.event()) ? Json.text(data, "type") : event.event();
        if (type == null) {
            return;
        }
        switch (type) {
            case "message_start" -> {
                started = true;
                JsonNode message = data.get("message");
                readUsage(message == null ? null : message.get("usage"));
            }
            case "content_block_start" -> {
                JsonNode block = data.get("content_block");
                ObjectNode start = block instanceof ObjectNode o ? o.deepCopy() : Json.object().put("type", "text");
                Block b = new Block(start);
                String initialText = Json.text(start, "text");
                if (initialText != null) {
                    b.text.append(initialText);
                }
                String initialThinking = Json.text(start, "thinking");
                if (initialThinking != null) {
                    b.thinking.append(initialThinking);
                }
                String initialSignature = Json.text(start, "signature");
                if (initialSignature != null) {
                    b.signature.append(initialSignature);
                }
                blocks.put(index(data), b);
            }
            case "content_block_delta" -> {
                JsonNode delta = data.get("delta");
                Block b = blocks.computeIfAbsent(index(data),
                        i -> new Block(Json.object().put("type", "text")));
                String deltaType = Json.text(delta, "type");
                if (deltaType == null) {
                    return;
                }
                switch (deltaType) {
                    case "text_delta" -> b.text.append(nonNull(Json.text(delta, "text")));
                    case "thinking_delta" -> b.thinking.append(nonNull(Json.text(delta, "thinking")));
                    case "signature_delta" -> b.signature.append(nonNull(Json.text(delta, "signature")));
                    case "input_json_delta" -> {
                        if (b.partialJson == null) {
                            b.partialJson = new StringBuilder();
                        }
                        b.partialJson.append(nonNull(Json.text(delta, "partial_json")));
                    }
                    default -> { } // citations_delta and newer delta types
                }
            }
            case "message_delta" -> {
                String reason = Json.text(data.get("delta"), "stop_reason");
                if (reason != null) {
                    stopReason = reason;
                }
                readUsage(data.get("usage"));
            }
            case "message_stop" -> stopped = true;
            case "error" -> throw new ProviderException(AnthropicErrors.describeStreamError(event.data()));
            default -> { } // content_block_stop, ping, and event types newer than this code
        }
    }

    @Override
    public boolean finished() {
        return stopped;
    }

    @Override
    public ModelReply reply() throws ProviderException {
        if (!started || !stopped) {
            throw new ProviderException("the model stream ended before message_stop");
        }
        StringBuilder text = new StringBuilder();
        List<ObjectNode> content = new ArrayList<>(blocks.size());
        java.util.Map<String, String> malformed = new java.util.LinkedHashMap<>();
        for (Block b : blocks.values()) {
            ObjectNode block = b.start;
            String type = Json.text(block, "type");
            if ("text".equals(type)) {
                if (b.text.length() == 0) {
                    continue; // the API rejects empty text blocks when they are sent back
                }
                block.put("text", b.text.toString());
                text.append(b.text);
            } else if ("thinking".equals(type)) {
                block.put("thinking", b.thinking.toString());
                block.put("signature", b.signature.toString());
            }
            if (b.partialJson != null) {
                String json = b.partialJson.toString();
                try {
                    JsonNode input = json.isBlank() ? Json.object() : Json.parse(json);
                    block.set("input", input);
                } catch (IOException e) {
                    if ("max_tokens".equals(stopReason)) {
                        continue; // cut off in the middle of the input: the caller drops such calls anyway
                    }
                    // answered with a tool error by the tool loop, so the model can send the call again
                    block.set("input", Json.object());
                    malformed.put(Json.text(block, "id"), json);
                }
            }
            content.add(block);
        }
        return new ModelReply(text.toString(), stopReason,
                new TokenUsage(inputTokens, outputTokens, cacheRead, cacheCreation), content, malformed);
    }

    /** message_start has the input counts, message_delta the cumulative output count; later values win. */
    private void readUsage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        inputTokens = longOr(usage, "input_tokens", inputTokens);
        outputTokens = longOr(usage, "output_tokens", outputTokens);
        cacheRead = longOr(usage, "cache_read_input_tokens", cacheRead);
        cacheCreation = longOr(usage, "cache_creation_input_tokens", cacheCreation);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static long longOr(JsonNode n, String field, long fallback) {
        JsonNode v = n.get(field);
        return v != null && v.isNumber() ? v.longValue() : fallback;
    }

    private static int index(JsonNode data) {
        JsonNode i = data.get("index");
        return i != null && i.canConvertToInt() ? i.intValue() : 0;
    }
}
