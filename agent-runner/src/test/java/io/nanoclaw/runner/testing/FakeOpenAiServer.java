package io.nanoclaw.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * A scripted OpenAI chat-completions API on 127.0.0.1: answers POST /v1/chat/completions with the real stream
 * ({@code chat.completion.chunk} objects in {@code data:} lines: a role delta first, content or tool_calls deltas,
 * a finish_reason chunk, the usage chunk with empty choices, {@code data: [DONE]}) or with the API's error body.
 * Like the real API it rejects malformed requests with 400 before any script runs ({@link OpenAiRequestRules}),
 * so a test whose request is wrong fails with the API's own words. Every request is recorded.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    /** One recorded request: lowercased header names (first value), the parsed body, and why it was rejected. */
    public record Recorded(String method, String path, Map<String, String> headers, JsonNode body, String rejected) {
        public JsonNode messages() {
            return body.get("messages");
        }
    }

    /** A scripted answer. */
    public interface Answer {
        void write(HttpExchange exchange, JsonNode request) throws IOException;
    }

    /** One tool call of a scripted answer; its arguments are streamed in pieces exactly as given. */
    public record Call(String id, String name, String arguments) {}

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private final String expectedKey;

    /** @param expectedKey the Bearer token the server accepts (null: any, or none) */
    public FakeOpenAiServer(String expectedKey) throws IOException {
        this.expectedKey = expectedKey;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The API root, with /v1 as OPENAI_BASE_URL has it. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public FakeOpenAiServer enqueue(Answer answer) {
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
            String path = exchange.getRequestURI().getPath();
            JsonNode json;
            try {
                json = Json.parse(new String(body, StandardCharsets.UTF_8));
            } catch (IOException e) {
                json = null;
            }
            String rejected = null;
            Answer answer;
            if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/chat/completions".equals(path)) {
                rejected = "Invalid URL (" + exchange.getRequestMethod() + " " + path + ")";
                answer = error(404, "invalid_request_error", rejected, null);
            } else if (expectedKey != null && !("Bearer " + expectedKey).equals(headers.get("authorization"))) {
                rejected = "Incorrect API key provided";
                answer = error(401, "invalid_request_error", rejected, "invalid_api_key");
            } else if (json == null || !json.isObject()) {
                rejected = "We could not parse the JSON body of your request.";
                answer = error(400, "invalid_request_error", rejected, null);
            } else {
                rejected = OpenAiRequestRules.problem(json);
                answer = rejected != null ? error(400, "invalid_request_error", rejected, null) : script.poll();
            }
            requests.add(new Recorded(exchange.getRequestMethod(), path, headers,
                    json == null ? Json.object() : json, rejected));
            (answer == null ? text("default reply") : answer).write(exchange, json);
        }
    }

    /** A streamed text answer whose content arrives in the given deltas. */
    public static Answer text(String... deltas) {
        return (exchange, request) -> {
            OutputStream out = startStream(exchange);
            String model = Json.text(request, "model");
            chunk(out, model, roleDelta(), null);
            for (String d : deltas) {
                chunk(out, model, Json.object().put("content", d), null);
            }
            chunk(out, model, Json.object(), "stop");
            usage(out, model, 1200, 15, 1024);
            done(out);
        };
    }

    /**
     * Tool calls as OpenAI streams them: the first fragment of each call carries index, id, type and the function
     * name with empty arguments; the arguments follow in pieces of a few characters; then finish_reason tool_calls.
     */
    public static Answer toolCalls(String text, Call... calls) {
        return (exchange, request) -> {
            OutputStream out = startStream(exchange);
            String model = Json.text(request, "model");
            chunk(out, model, roleDelta(), null);
            if (text != null) {
                chunk(out, model, Json.object().put("content", text), null);
            }
            for (int i = 0; i < calls.length; i++) {
                Call c = calls[i];
                ObjectNode first = Json.object();
                first.put("index", i).put("id", c.id()).put("type", "function");
                first.putObject("function").put("name", c.name()).put("arguments", "");
                chunk(out, model, toolCallDelta(first), null);
                for (int at = 0; at < c.arguments().length(); at += 5) {
                    ObjectNode piece = Json.object().put("index", i);
                    piece.putObject("function").put("arguments",
                            c.arguments().substring(at, Math.min(c.arguments().length(), at + 5)));
                    chunk(out, model, toolCallDelta(piece), null);
                }
            }
            chunk(out, model, Json.object(), "tool_calls");
            usage(out, model, 300, 40, 0);
            done(out);
        };
    }

    /** A stream whose body is exactly the given text (for odd servers and broken streams). */
    public static Answer raw(String sse) {
        return (exchange, request) -> {
            OutputStream out = startStream(exchange);
            out.write(sse.getBytes(StandardCharsets.UTF_8));
            out.flush();
        };
    }

    /** The API's error answer: {"error":{"message","type","param","code"}} with the given status. */
    public static Answer error(int status, String type, String message, String code) {
        return error(status, type, message, code, null);
    }

    public static Answer error(int status, String type, String message, String code, String retryAfter) {
        return (exchange, request) -> {
            ObjectNode body = Json.object();
            ObjectNode error = body.putObject("error");
            error.put("message", message).put("type", type).putNull("param");
            if (code == null) {
                error.putNull("code");
            } else {
                error.put("code", code);
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.getResponseHeaders().set("x-request-id", "req_5f1e0a7b9c2d4e6f8a0b1c2d3e4f5a6b");
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("retry-after", retryAfter);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    private static ObjectNode roleDelta() {
        return Json.object().put("role", "assistant").put("content", "").putNull("refusal");
    }

    private static ObjectNode toolCallDelta(ObjectNode fragment) {
        ObjectNode delta = Json.object();
        delta.putArray("tool_calls").add(fragment);
        return delta;
    }

    private static OutputStream startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("content-type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        exchange.getResponseHeaders().set("x-request-id", "req_5f1e0a7b9c2d4e6f8a0b1c2d3e4f5a6b");
        exchange.sendResponseHeaders(200, 0); // chunked, like the real stream
        return exchange.getResponseBody();
    }

    private static ObjectNode envelope(String model) {
        ObjectNode c = Json.object();
        c.put("id", "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
        c.put("object", "chat.completion.chunk");
        c.put("created", 1741570283);
        c.put("model", model);
        c.put("service_tier", "default");
        c.put("system_fingerprint", "fp_06737a9306");
        return c;
    }

    private static void chunk(OutputStream out, String model, ObjectNode delta, String finishReason)
            throws IOException {
        ObjectNode c = envelope(model);
        ArrayNode choices = c.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        c.putNull("usage"); // include_usage: every chunk before the last says so
        data(out, c.toString());
    }

    private static void usage(OutputStream out, String model, int prompt, int completion, int cached)
            throws IOException {
        ObjectNode c = envelope(model);
        c.putArray("choices");
        ObjectNode usage = c.putObject("usage");
        usage.put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cached).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        data(out, c.toString());
    }

    private static void done(OutputStream out) throws IOException {
        data(out, "[DONE]");
    }

    private static void data(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
