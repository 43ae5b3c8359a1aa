package io.nanoclaw.host.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A fake Anthropic Messages API on loopback. It answers POST /v1/messages with a scripted reply streamed as the real
 * API's SSE events, and it checks every request the way the real API would (headers, key, body shape), recording
 * each problem so tests can assert there were none.
 */
public final class FakeAnthropic implements AutoCloseable {
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final String expectedKey;
    private final Function<String, String> script;
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    public final List<String> problems = new CopyOnWriteArrayList<>();
    public final List<String> keysSeen = new CopyOnWriteArrayList<>();

    /** @param script maps the last user turn's text to the reply text. */
    public FakeAnthropic(String expectedKey, Function<String, String> script) throws IOException {
        this.expectedKey = expectedKey;
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v1/messages", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                problems.add("method " + ex.getRequestMethod());
                send(ex, 405, "application/json", error("invalid_request_error", "POST only"));
                return;
            }
            String key = ex.getRequestHeaders().getFirst("x-api-key");
            keysSeen.add(String.valueOf(key));
            if (!expectedKey.equals(key)) {
                problems.add("wrong or missing x-api-key");
                send(ex, 401, "application/json", error("authentication_error", "invalid x-api-key"));
                return;
            }
            if (ex.getRequestHeaders().getFirst("anthropic-version") == null) {
                problems.add("missing anthropic-version");
            }
            String ct = ex.getRequestHeaders().getFirst("content-type");
            if (ct == null || !ct.startsWith("application/json")) {
                problems.add("content-type " + ct);
            }
            JsonNode body = mapper.readTree(ex.getRequestBody().readAllBytes());
            requests.add(body);
            String lastUser = validate(body);
            String reply = script.apply(lastUser);
            if (body.path("stream").asBoolean(false)) {
                stream(ex, body.path("model").asText(), reply);
            } else {
                send(ex, 200, "application/json", message(body.path("model").asText(), reply).toString());
            }
        }
    }

    /** Checks the body as the real API would and returns the last user turn's text. */
    private String validate(JsonNode body) {
        if (!body.path("model").isTextual() || body.path("model").asText().isBlank()) {
            problems.add("model missing");
        }
        if (!body.path("max_tokens").canConvertToInt() || body.path("max_tokens").asInt() <= 0) {
            problems.add("max_tokens missing or not positive");
        }
        JsonNode msgs = body.path("messages");
        if (!msgs.isArray() || msgs.isEmpty()) {
            problems.add("messages empty");
            return "";
        }
        String expect = "user";
        for (JsonNode m : msgs) {
            if (!expect.equals(m.path("role").asText())) {
                problems.add("roles do not alternate user/assistant starting with user");
                break;
            }
            JsonNode c = m.path("content");
            if (!(c.isTextual() || c.isArray())) {
                problems.add("content neither string nor blocks");
            }
            expect = expect.equals("user") ? "assistant" : "user";
        }
        JsonNode last = msgs.get(msgs.size() - 1);
        if (!"user".equals(last.path("role").asText())) {
            problems.add("last message is not a user turn");
        }
        JsonNode c = last.path("content");
        if (c.isTextual()) {
            return c.asText();
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode block : c) {
            if ("text".equals(block.path("type").asText())) {
                b.append(block.path("text").asText());
            }
        }
        return b.toString();
    }

    private void stream(HttpExchange ex, String model, String reply) throws IOException {
        ex.getResponseHeaders().add("content-type", "text/event-stream");
        ex.getResponseHeaders().add("cache-control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String id = "msg_fake" + System.nanoTime();
        event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id + "\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}");
        event(out, "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        event(out, "ping", "{\"type\": \"ping\"}");
        int mid = reply.length() / 2;
        for (String part : new String[] {reply.substring(0, mid), reply.substring(mid)}) {
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"text_delta\",\"text\":" + mapper.writeValueAsString(part) + "}}");
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":7}}");
        event(out, "message_stop", "{\"type\":\"message_stop\"}");
        out.close();
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private JsonNode message(String model, String reply) {
        var n = mapper.createObjectNode();
        n.put("id", "msg_fake").put("type", "message").put("role", "assistant").put("model", model);
        n.putArray("content").addObject().put("type", "text").put("text", reply);
        n.put("stop_reason", "end_turn");
        n.putObject("usage").put("input_tokens", 25).put("output_tokens", 7);
        return n;
    }

    private static String error(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
