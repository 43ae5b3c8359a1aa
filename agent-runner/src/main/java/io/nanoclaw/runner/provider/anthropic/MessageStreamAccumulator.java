package io.nanoclaw.runner.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.provider.TokenUsage;
import io.nanoclaw.runner.provider.sse.SseEvent;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the reply from the Messages API event stream: message_start, then per content block a
 * content_block_start, deltas and content_block_stop, then message_delta (stop reason, usage) and message_stop;
 * ping may come anywhere and an error event ends the call. Only text blocks are kept for now; tool_use and
 * thinking blocks arrive with the tools issue. Unknown event types are ignored, as the API's versioning policy
 * asks of clients.
 */
public final class MessageStreamAccumulator {
    private final Map<Integer, StringBuilder> textBlocks = new TreeMap<>();
    private String stopReason;
    private boolean started;
    private boolean stopped;
    private long inputTokens;
    private long outputTokens;
    private long cacheRead;
    private long cacheCreation;

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
                if ("text".equals(Json.text(block, "type"))) {
                    String initial = Json.text(block, "text");
                    textBlocks.put(index(data), new StringBuilder(initial == null ? "" : initial));
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = data.get("delta");
                if ("text_delta".equals(Json.text(delta, "type"))) {
                    String text = Json.text(delta, "text");
                    textBlocks.computeIfAbsent(index(data), i -> new StringBuilder()).append(text == null ? "" : text);
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

    public boolean finished() {
        return stopped;
    }

    public ModelReply reply() throws ProviderException {
        if (!started || !stopped) {
            throw new ProviderException("the model stream ended before message_stop");
        }
        StringBuilder text = new StringBuilder();
        textBlocks.values().forEach(text::append);
        return new ModelReply(text.toString(), stopReason,
                new TokenUsage(inputTokens, outputTokens, cacheRead, cacheCreation));
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

    private static long longOr(JsonNode n, String field, long fallback) {
        JsonNode v = n.get(field);
        return v != null && v.isNumber() ? v.longValue() : fallback;
    }

    private static int index(JsonNode data) {
        JsonNode i = data.get("index");
        return i != null && i.canConvertToInt() ? i.intValue() : 0;
    }
}
