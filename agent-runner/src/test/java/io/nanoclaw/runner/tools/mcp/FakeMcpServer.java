package io.nanoclaw.runner.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A stdio MCP server for the tests, run as its own process: newline-delimited JSON-RPC on stdin/stdout, like a real
 * server. Tools: echo (sends a notification before its answer), fail (isError), crash (exits without answering),
 * slow (sleeps), die_soon (answers, then exits), ping_client (sends requests to the client), spawn (starts a child
 * process), env, image, pid. It also prints a non-JSON banner on stdout and chatter on stderr, as real servers do.
 * Argument {@code --fail-init} makes it refuse the handshake.
 */
public final class FakeMcpServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private static final Map<String, CompletableFuture<JsonNode>> CLIENT_ANSWERS = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        boolean failInit = args.length > 0 && args[0].equals("--fail-init");
        OUT.println("fake MCP server starting (not JSON)");
        System.err.println("fake: hello on stderr");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode msg = JSON.readTree(line);
            String method = msg.path("method").asText(null);
            JsonNode id = msg.get("id");
            if (method == null) {
                CompletableFuture<JsonNode> f = CLIENT_ANSWERS.get(id.asText());
                if (f != null) {
                    f.complete(msg);
                }
                continue;
            }
            if (id == null) {
                continue; // notifications/initialized, notifications/cancelled
            }
            switch (method) {
                case "initialize" -> {
                    if (failInit) {
                        error(id, -32603, "refusing to initialize");
                    } else {
                        ObjectNode r = JSON.createObjectNode();
                        r.put("protocolVersion", msg.path("params").path("protocolVersion").asText());
                        r.putObject("capabilities").putObject("tools");
                        r.putObject("serverInfo").put("name", "fake").put("version", "1.0");
                        result(id, r);
                    }
                }
                case "tools/list" -> result(id, toolsPage(msg.path("params").path("cursor").asText("")));
                case "tools/call" -> {
                    JsonNode params = msg.path("params");
                    new Thread(() -> call(id, params.path("name").asText(), params.path("arguments"))).start();
                }
                default -> error(id, -32601, "Method not found");
            }
        }
    }

    private static ObjectNode toolsPage(String cursor) {
        ObjectNode r = JSON.createObjectNode();
        ArrayNode tools = r.putArray("tools");
        if (cursor.isEmpty()) {
            ObjectNode echo = tools.addObject();
            echo.put("name", "echo");
            echo.put("description", "Echoes its text");
            ObjectNode schema = echo.putObject("inputSchema");
            schema.put("type", "object");
            schema.putObject("properties").putObject("text").put("type", "string").put("description", "what to echo");
            schema.putArray("required").add("text");
            tools.addObject().put("name", "fail").put("description", "Always fails")
                    .putObject("inputSchema").put("type", "object");
            r.put("nextCursor", "page-2");
        } else {
            for (String name : new String[] {"crash", "slow", "die_soon", "ping_client", "spawn", "env", "image",
                    "pid"}) {
                tools.addObject().put("name", name).putObject("inputSchema").put("type", "object");
            }
        }
        return r;
    }

    private static void call(JsonNode id, String tool, JsonNode args) {
        try {
            switch (tool) {
                case "echo" -> {
                    ObjectNode note = JSON.createObjectNode();
                    note.put("jsonrpc", "2.0");
                    note.put("method", "notifications/message");
                    note.putObject("params").put("level", "info").put("data", "echoing");
                    send(note);
                    text(id, "echo: " + args.path("text").asText(), false);
                }
                case "fail" -> text(id, "it failed", true);
                case "crash" -> {
                    System.err.println("fake: crashing");
                    System.exit(3);
                }
                case "slow" -> {
                    Thread.sleep(args.path("ms").asLong(10_000));
                    text(id, "slept", false);
                }
                case "die_soon" -> {
                    text(id, "bye", false);
                    Thread.sleep(200);
                    System.exit(0);
                }
                case "ping_client" -> text(id, "ping=" + askClient("c1", "ping").path("result")
                        + " sampling=" + askClient("c2", "sampling/createMessage").path("error").path("code"), false);
                case "spawn" -> {
                    Process child = new ProcessBuilder("sleep", "300").start();
                    text(id, String.valueOf(child.pid()), false);
                }
                case "env" -> text(id, args.path("name").asText() + "=" + System.getenv(args.path("name").asText()),
                        false);
                case "image" -> {
                    ObjectNode r = JSON.createObjectNode();
                    ArrayNode content = r.putArray("content");
                    content.addObject().put("type", "text").put("text", "a dot");
                    content.addObject().put("type", "image").put("data", "iVBORw0KGgo=").put("mimeType", "image/png");
                    result(id, r);
                }
                case "pid" -> text(id, String.valueOf(ProcessHandle.current().pid()), false);
                default -> error(id, -32602, "Unknown tool: " + tool);
            }
        } catch (Exception e) {
            error(id, -32603, e.toString());
        }
    }

    private static JsonNode askClient(String id, String method) throws Exception {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        CLIENT_ANSWERS.put(id, answer);
        ObjectNode req = JSON.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("id", id);
        req.put("method", method);
        req.putObject("params");
        send(req);
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static void text(JsonNode id, String text, boolean isError) {
        ObjectNode r = JSON.createObjectNode();
        r.putArray("content").addObject().put("type", "text").put("text", text);
        if (isError) {
            r.put("isError", true);
        }
        result(id, r);
    }

    private static void result(JsonNode id, JsonNode result) {
        ObjectNode m = JSON.createObjectNode();
        m.put("jsonrpc", "2.0");
        m.set("id", id);
        m.set("result", result);
        send(m);
    }

    private static void error(JsonNode id, int code, String message) {
        ObjectNode m = JSON.createObjectNode();
        m.put("jsonrpc", "2.0");
        m.set("id", id);
        m.putObject("error").put("code", code).put("message", message);
        send(m);
    }

    private static synchronized void send(JsonNode message) {
        OUT.println(message.toString());
    }
}
