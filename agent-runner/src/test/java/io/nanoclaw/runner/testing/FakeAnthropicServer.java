package io.nanoclaw.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nanoclaw.runner.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scripted Anthropic Messages API on 127.0.0.1: answers POST /v1/messages with the real SSE event sequence
 * (message_start, content_block_start, ping, content_block_delta, content_block_stop, message_delta,
 * message_stop) or with the API's JSON error envelope, and records every request for assertions.
 */
public final class FakeAnthropicServer implements AutoCloseable {

    /** One recorded request: lowercased header names (first value) and the parsed JSON body. */
    public record Recorded(String method, String path, Map<String, String> headers, JsonNode body) {
        public JsonNode messages() {
            return body.get("messages");
        }
    }

    /** A scripted answer. */
    public interface Answer {
        void write(HttpExchange exchange, JsonNode request) throws IOException;
    }

    static {
        // like a real server (Vert.x sets it too): without it Nagle plus delayed ACKs add ~40 ms to small chunks
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());

    public FakeAnthropicServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeAnthropicServer enqueue(Answer answer) {
        script.add(answer);
        return this;
    }

    public List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            JsonNode json;
            try {
                json = Json.parse(new String(body, StandardCharsets.UTF_8));
            } catch (IOException e) {
                json = Json.object().put("unparseable", new String(body, StandardCharsets.UTF_8));
            }
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, json));
            if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/messages".equals(exchange.getRequestURI().getPath())) {
                error(404, "not_found_error", "Not found").write(exchange, json);
                return;
            }
            Answer next = script.poll();
            (next == null ? text("default reply") : next).write(exchange, json);
        }
    }

    /** A successful streamed answer whose text arrives in the given deltas. */
    public static Answer text(String... deltas) {
        return textWithUsage(472, deltas);
    }

    /** As {@link #text}, reporting the given input tokens (a large context triggers compaction). */
    public static Answer textWithUsage(long inputTokens, String... deltas) {
        return (exchange, request) -> {
            startStream(exchange);
            OutputStream out = exchange.getResponseBody();
            String model = Json.text(request, "model");
            event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\","
                    + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + inputTokens + ","
                    + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":2}}}");
            event(out, "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            event(out, "ping", "{\"type\": \"ping\"}");
            for (String d : deltas) {
                ObjectNode delta = Json.object();
                delta.put("type", "content_block_delta");
                delta.put("index", 0);
                delta.putObject("delta").put("type", "text_delta").put("text", d);
                event(out, "content_block_delta", delta.toString());
            }
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}");
            event(out, "message_stop", "{\"type\":\"message_stop\"}");
        };
    }

    /** One content block of a scripted message, written as content_block_start, deltas, content_block_stop. */
    public interface Block {
        void write(OutputStream out, int index) throws IOException;
    }

    /** A text block whose text arrives in the given deltas. */
    public static Block textBlock(String... deltas) {
        return (out, index) -> {
            event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index
                    + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            for (String d : deltas) {
                ObjectNode delta = Json.object();
                delta.put("type", "content_block_delta");
                delta.put("index", index);
                delta.putObject("delta").put("type", "text_delta").put("text", d);
                event(out, "content_block_delta", delta.toString());
            }
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
        };
    }

    /**
     * A tool_use block as the API streams it: content_block_start with {@code input:{}}, then the input JSON as
     * input_json_delta pieces (the first one empty, later ones cut at arbitrary points), then content_block_stop.
     */
    public static Block toolUse(String id, String name, String inputJson) {
        return (out, index) -> {
            ObjectNode start = Json.object();
            start.put("type", "content_block_start");
            start.put("index", index);
            ObjectNode block = start.putObject("content_block");
            block.put("type", "tool_use").put("id", id).put("name", name);
            block.putObject("input");
            event(out, "content_block_start", start.toString());
            List<String> pieces = new ArrayList<>();
            pieces.add("");
            for (int i = 0; i < inputJson.length(); i += 7) {
                pieces.add(inputJson.substring(i, Math.min(inputJson.length(), i + 7)));
            }
            for (String piece : pieces) {
                ObjectNode delta = Json.object();
                delta.put("type", "content_block_delta");
                delta.put("index", index);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
                event(out, "content_block_delta", delta.toString());
            }
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
        };
    }

    /**
     * A thinking block as the API streams it: content_block_start {@code {"type":"thinking","thinking":""}},
     * thinking_delta pieces, one signature_delta just before content_block_stop.
     */
    public static Block thinking(String thinking, String signature) {
        return (out, index) -> {
            event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index
                    + ",\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
            int half = thinking.length() / 2;
            for (String piece : List.of(thinking.substring(0, half), thinking.substring(half))) {
                ObjectNode delta = Json.object();
                delta.put("type", "content_block_delta");
                delta.put("index", index);
                delta.putObject("delta").put("type", "thinking_delta").put("thinking", piece);
                event(out, "content_block_delta", delta.toString());
            }
            ObjectNode sig = Json.object();
            sig.put("type", "content_block_delta");
            sig.put("index", index);
            sig.putObject("delta").put("type", "signature_delta").put("signature", signature);
            event(out, "content_block_delta", sig.toString());
            event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
        };
    }

    /** A whole streamed message made of the given blocks, ending with the given stop reason. */
    public static Answer message(String stopReason, Block... blocks) {
        return (exchange, request) -> {
            startStream(exchange);
            OutputStream out = exchange.getResponseBody();
            String model = Json.text(request, "model");
            event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_014p7gG3wDgGV9EUtLvnow3U\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\","
                    + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":472,\"output_tokens\":2},"
                    + "\"content\":[],\"stop_reason\":null}}");
            for (int i = 0; i < blocks.length; i++) {
                blocks[i].write(out, i);
                if (i == 0) {
                    event(out, "ping", "{\"type\": \"ping\"}");
                }
            }
            event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                    + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}");
            event(out, "message_stop", "{\"type\":\"message_stop\"}");
        };
    }

    /** A stream that starts normally and then sends an error event, as the API does when it overloads mid-answer. */
    public static Answer streamError(String type, String message) {
        return (exchange, request) -> {
            startStream(exchange);
            OutputStream out = exchange.getResponseBody();
            event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"stop_reason\":null,"
                    + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}");
            ObjectNode err = Json.object();
            err.put("type", "error");
            err.putObject("error").put("type", type).put("message", message);
            event(out, "error", err.toString());
        };
    }

    /** The API's error answer: {"type":"error","error":{"type","message"},"request_id"} with the given status. */
    public static Answer error(int status, String type, String message) {
        return error(status, type, message, null);
    }

    public static Answer error(int status, String type, String message, String retryAfter) {
        return (exchange, request) -> {
            ObjectNode body = Json.object();
            body.put("type", "error");
            body.putObject("error").put("type", type).put("message", message);
            body.put("request_id", "req_011CSHoEeqs5C35K2UUqR7Fy");
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.getResponseHeaders().set("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("retry-after", retryAfter);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    private static void startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("content-type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        exchange.getResponseHeaders().set("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
        exchange.sendResponseHeaders(200, 0); // chunked, like the real stream
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
