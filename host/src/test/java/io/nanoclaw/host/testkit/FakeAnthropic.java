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
    private final List<ToolRule> toolRules = new CopyOnWriteArrayList<>();
    private final List<String[]> textRules = new CopyOnWriteArrayList<>();

    /** A scripted tool call: a user turn whose text contains the trigger is answered with this tool_use. */
    private record ToolRule(String trigger, String name, String inputJson) {}

    /** @param script maps the last user turn's text to the reply text. */
    public FakeAnthropic(String expectedKey, Function<String, String> script) throws IOException {
        this.expectedKey = expectedKey;
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v1/messages", this::handle);
        server.start();
    }

    /**
     * From now on, a last user turn whose text contains {@code trigger} is answered with a call of the tool (a
     * tool_use block, stop_reason tool_use) instead of the scripted text. The tool must be one the request offers.
     */
    public void callToolWhen(String trigger, String toolName, String inputJson) {
        toolRules.add(new ToolRule(trigger, toolName, inputJson));
    }

    /** From now on, a last user turn whose text contains {@code trigger} is answered with this text. */
    public void replyWhen(String trigger, String reply) {
        textRules.add(new String[] {trigger, reply});
    }

    private String scripted(String lastUser) {
        for (String[] r : textRules) {
            if (lastUser.contains(r[0])) {
                return r[1];
            }
        }
        return script.apply(lastUser);
    }

    private ToolRule toolRuleFor(String lastUser) {
        for (ToolRule r : toolRules) {
            if (lastUser.contains(r.trigger())) {
                return r;
            }
        }
        return null;
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
            ToolRule tool = toolRuleFor(lastUser);
            if (tool != null) {
                if (!offersTool(body, tool.name())) {
                    problems.add("tool " + tool.name() + " called but not offered in tools");
                }
                if (body.path("stream").asBoolean(false)) {
                    streamToolUse(ex, body.path("model").asText(), tool);
                } else {
                    send(ex, 200, "application/json", toolUseMessage(body.path("model").asText(), tool).toString());
                }
                return;
            }
            String reply = scripted(lastUser);
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
        java.util.Set<String> unanswered = new java.util.HashSet<>();
        for (JsonNode m : msgs) {
            if (!expect.equals(m.path("role").asText())) {
                problems.add("roles do not alternate user/assistant starting with user");
                break;
            }
            JsonNode c = m.path("content");
            if (!(c.isTextual() || c.isArray())) {
                problems.add("content neither string nor blocks");
            }
            // The real API: every tool_use must be answered by a tool_result in the very next user turn.
            if ("user".equals(expect)) {
                for (JsonNode block : c) {
                    if ("tool_result".equals(block.path("type").asText())) {
                        unanswered.remove(block.path("tool_use_id").asText());
                    }
                }
                if (!unanswered.isEmpty()) {
                    problems.add("tool_use without a tool_result in the next user turn: " + unanswered);
                    unanswered.clear();
                }
            } else {
                for (JsonNode block : c) {
                    if ("tool_use".equals(block.path("type").asText())) {
                        unanswered.add(block.path("id").asText());
                    }
                }
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

    private static boolean offersTool(JsonNode body, String name) {
        for (JsonNode t : body.path("tools")) {
            if (name.equals(t.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    /** A tool_use answer as the real API streams it: the input arrives as input_json_delta pieces. */
    private void streamToolUse(HttpExchange ex, String model, ToolRule tool) throws IOException {
        ex.getResponseHeaders().add("content-type", "text/event-stream");
        ex.getResponseHeaders().add("cache-control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String id = "msg_fake" + System.nanoTime();
        event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id + "\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}");
        event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_fake" + System.nanoTime() + "\",\"name\":"
                + mapper.writeValueAsString(tool.name()) + ",\"input\":{}}}");
        event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}");
        String json = tool.inputJson();
        int mid = json.length() / 2;
        for (String part : new String[] {json.substring(0, mid), json.substring(mid)}) {
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"input_json_delta\",\"partial_json\":" + mapper.writeValueAsString(part) + "}}");
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":12}}");
        event(out, "message_stop", "{\"type\":\"message_stop\"}");
        out.close();
    }

    private JsonNode toolUseMessage(String model, ToolRule tool) throws IOException {
        var n = mapper.createObjectNode();
        n.put("id", "msg_fake").put("type", "message").put("role", "assistant").put("model", model);
        n.putArray("content").addObject().put("type", "tool_use").put("id", "toolu_fake" + System.nanoTime())
                .put("name", tool.name()).set("input", mapper.readTree(tool.inputJson()));
        n.put("stop_reason", "tool_use");
        n.putObject("usage").put("input_tokens", 25).put("output_tokens", 12);
        return n;
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
