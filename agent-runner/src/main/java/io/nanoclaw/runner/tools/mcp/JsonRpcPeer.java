package io.nanoclaw.runner.tools.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.config.McpServerConfig;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running MCP server process, spoken to with the MCP stdio transport: JSON-RPC 2.0 messages, one per line, on
 * the child's stdin and stdout; its stderr goes to the runner's log. Requests are matched to responses by id, so
 * calls may overlap. Requests from the server are answered minimally (we declare no client capabilities).
 */
final class JsonRpcPeer implements AutoCloseable {
    static final int METHOD_NOT_FOUND = -32601;
    private static final long PULSE_MS = 2_000;
    private static final long KILL_GRACE_MS = 2_000;
    private static final int MAX_LOG_LINE = 2_000;

    private final String server;
    private final Process process;
    private final Writer stdin;
    private final Object writeLock = new Object();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile String deathCause;

    private JsonRpcPeer(String server, Process process) {
        this.server = server;
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts the server's command with the runner's environment plus the server's own variables.
     *
     * @param workingDir the child's working folder; null keeps the runner's
     */
    static JsonRpcPeer start(String server, McpServerConfig config, Path workingDir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(config.command());
        command.addAll(config.args());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(config.env());
        if (workingDir != null) {
            pb.directory(workingDir.toFile());
        }
        Process process = pb.start();
        JsonRpcPeer peer = new JsonRpcPeer(server, process);
        peer.daemon("mcp-" + server + "-out", peer::readStdout);
        peer.daemon("mcp-" + server + "-err", peer::drainStderr);
        process.onExit().thenRun(() -> peer.died("it exited with code " + process.exitValue()));
        return peer;
    }

    boolean alive() {
        return deathCause == null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Sends a request and waits for its result.
     *
     * @param pulse called every couple of seconds while waiting (the runner's heartbeat)
     */
    JsonNode request(String method, JsonNode params, Duration timeout, Runnable pulse)
            throws McpCallException, InterruptedException {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        // checked after registering, so a death that drains the map before our write cannot leave us waiting
        if (!alive()) {
            pending.remove(id);
            throw new McpCallException(McpCallException.Kind.NOT_SENT, "the server is not running ("
                    + (deathCause == null ? "it exited" : deathCause) + ")");
        }
        ObjectNode message = Json.object();
        message.put("jsonrpc", "2.0");
        message.put("id", id);
        message.put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        try {
            send(message);
        } catch (IOException e) {
            pending.remove(id);
            throw new McpCallException(McpCallException.Kind.NOT_SENT, "cannot write to the server: "
                    + Log.describe(e));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new McpCallException(McpCallException.Kind.TIMEOUT, "no answer to " + method + " within "
                            + describe(timeout));
                }
                try {
                    return answer.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(PULSE_MS)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    pulse.run();
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof McpCallException m) {
                throw m;
            }
            throw new McpCallException(McpCallException.Kind.CRASHED, Log.describe(e.getCause()));
        } catch (InterruptedException e) {
            cancelled(id, "the agent's turn was interrupted");
            throw e;
        } finally {
            pending.remove(id);
        }
    }

    /** A notification: no id, no answer. */
    void notify(String method, JsonNode params) throws IOException {
        ObjectNode message = Json.object();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        send(message);
    }

    private void cancelled(long id, String reason) {
        ObjectNode params = Json.object();
        params.put("requestId", id);
        params.put("reason", reason);
        try {
            notify("notifications/cancelled", params);
        } catch (IOException e) {
            // the server is gone; nothing to cancel
        }
    }

    private void send(ObjectNode message) throws IOException {
        String line;
        try {
            line = Json.MAPPER.writeValueAsString(message); // escapes newlines: one message, one line
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        synchronized (writeLock) {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    received(line);
                }
            }
            died("it closed its output");
        } catch (IOException e) {
            died("reading its output failed: " + Log.describe(e));
        }
    }

    private void received(String line) {
        JsonNode message;
        try {
            message = Json.parse(line);
        } catch (IOException e) {
            // servers that print banners on stdout break the protocol; skip the line rather than the server
            Log.warn("mcp", server + ": ignoring a line that is not JSON: " + abbreviate(line));
            return;
        }
        if (message.isArray()) {
            message.forEach(this::dispatch); // a batch (protocol versions before 2025-06-18)
        } else {
            dispatch(message);
        }
    }

    private void dispatch(JsonNode message) {
        if (!message.isObject()) {
            Log.warn("mcp", server + ": ignoring a message that is not an object");
            return;
        }
        JsonNode id = message.get("id");
        String method = Json.text(message, "method");
        if (method != null) {
            if (id == null || id.isNull()) {
                Log.debug("mcp", server + ": notification " + method);
            } else {
                answerServerRequest(id, method);
            }
            return;
        }
        Long key = id == null ? null : id.isIntegralNumber() ? Long.valueOf(id.asLong()) : parseLong(id.asText());
        CompletableFuture<JsonNode> waiting = key == null ? null : pending.remove(key);
        if (waiting == null) {
            Log.debug("mcp", server + ": a response nobody waits for (id " + id + ")");
            return;
        }
        JsonNode error = message.get("error");
        if (error != null && !error.isNull()) {
            String text = Json.text(error, "message");
            waiting.completeExceptionally(new McpCallException(McpCallException.Kind.RPC_ERROR,
                    (text == null ? "error" : text) + " (code " + error.path("code").asText("?") + ")"));
        } else {
            JsonNode result = message.get("result");
            waiting.complete(result == null ? NullNode.getInstance() : result);
        }
    }

    /** We declared no capabilities, so only ping (and an empty roots list) get a real answer. */
    private void answerServerRequest(JsonNode id, String method) {
        ObjectNode reply = Json.object();
        reply.put("jsonrpc", "2.0");
        reply.set("id", id);
        switch (method) {
            case "ping" -> reply.putObject("result");
            case "roots/list" -> reply.putObject("result").putArray("roots");
            default -> {
                ObjectNode error = reply.putObject("error");
                error.put("code", METHOD_NOT_FOUND);
                error.put("message", "Method not found: " + method);
            }
        }
        try {
            send(reply);
        } catch (IOException e) {
            Log.debug("mcp", server + ": cannot answer " + method + ": " + Log.describe(e));
        }
    }

    private void drainStderr() {
        try (BufferedReader err = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                if (!line.isBlank()) {
                    Log.info("mcp:" + server, abbreviate(line));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Marks the server dead (first cause wins) and fails every request still waiting. */
    private void died(String cause) {
        synchronized (this) {
            if (deathCause != null) {
                return;
            }
            deathCause = cause;
        }
        McpCallException crashed = new McpCallException(McpCallException.Kind.CRASHED, "the server stopped: " + cause);
        pending.values().forEach(f -> f.completeExceptionally(crashed));
    }

    /** Stops the server and everything it started (npx and uvx run the real server as a child). */
    @Override
    public void close() {
        died("it was stopped by the runner");
        List<ProcessHandle> tree = process.descendants().toList(); // before the parent dies and they are re-parented
        try {
            stdin.close();
        } catch (IOException e) {
            // already closed
        }
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(KILL_GRACE_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String abbreviate(String line) {
        return line.length() <= MAX_LOG_LINE ? line : line.substring(0, MAX_LOG_LINE) + "…";
    }
}
