package io.nanoclaw.runner.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.config.McpServerConfig;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One configured MCP server over its lifetime: started and initialized on demand, restarted when it crashed or
 * hung. A request that never reached a dead server is retried once on a fresh one; a call the server may have
 * started is not, because tools have side effects.
 */
final class McpServer implements AutoCloseable {
    static final String PROTOCOL_VERSION = "2025-06-18";
    static final String CLIENT_NAME = "nanoclaw-agent-runner";
    private static final int MAX_PAGES = 100;

    private final String name;
    private final McpServerConfig config;
    private final Path workingDir;
    private final McpTimeouts timeouts;
    private JsonRpcPeer peer; // guarded by this

    McpServer(String name, McpServerConfig config, Path workingDir, McpTimeouts timeouts) {
        this.name = name;
        this.config = config;
        this.workingDir = workingDir;
        this.timeouts = timeouts;
    }

    String name() {
        return name;
    }

    McpTimeouts timeouts() {
        return timeouts;
    }

    /** The running, initialized server; starts one if there is none or the last one died. */
    synchronized JsonRpcPeer running() throws McpCallException, InterruptedException {
        if (peer != null && peer.alive()) {
            return peer;
        }
        if (peer != null) {
            peer.close();
            peer = null;
        }
        peer = startAndInitialize();
        return peer;
    }

    private JsonRpcPeer startAndInitialize() throws McpCallException, InterruptedException {
        JsonRpcPeer p;
        try {
            p = JsonRpcPeer.start(name, config, workingDir);
        } catch (IOException e) {
            throw new McpCallException(McpCallException.Kind.START_FAILED, "cannot run " + config.command() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        try {
            JsonNode init = p.request("initialize", initializeParams(), timeouts.startup(), () -> { });
            p.notify("notifications/initialized", null);
            Log.info("mcp", name + ": started (pid " + p.pid() + ", " + describeServer(init) + ")");
            return p;
        } catch (McpCallException | IOException e) {
            p.close();
            throw new McpCallException(McpCallException.Kind.START_FAILED, "the initialize handshake failed: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            p.close();
            throw e;
        }
    }

    private static ObjectNode initializeParams() {
        ObjectNode params = Json.object();
        params.put("protocolVersion", PROTOCOL_VERSION);
        params.putObject("capabilities");
        ObjectNode client = params.putObject("clientInfo");
        client.put("name", CLIENT_NAME);
        client.put("version", clientVersion());
        return params;
    }

    static String clientVersion() {
        String v = McpServer.class.getPackage() == null ? null : McpServer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    private static String describeServer(JsonNode init) {
        JsonNode info = init.path("serverInfo");
        String server = Json.text(info, "name");
        String version = Json.text(info, "version");
        return (server == null ? "unnamed" : server) + (version == null ? "" : " " + version) + ", protocol "
                + init.path("protocolVersion").asText("?");
    }

    /** Every tool the server offers, following {@code nextCursor} through the pages. */
    List<JsonNode> listTools() throws McpCallException, InterruptedException {
        List<JsonNode> tools = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ObjectNode params = null;
            if (cursor != null) {
                params = Json.object();
                params.put("cursor", cursor);
            }
            JsonNode result = running().request("tools/list", params, timeouts.startup(), () -> { });
            JsonNode list = result.get("tools");
            if (list == null || !list.isArray()) {
                throw new McpCallException(McpCallException.Kind.RPC_ERROR, "tools/list returned no tools array");
            }
            list.forEach(tools::add);
            cursor = Json.text(result, "nextCursor");
            if (cursor == null || cursor.isEmpty()) {
                return tools;
            }
            if (!cursors.add(cursor)) {
                Log.warn("mcp", name + ": tools/list repeated the cursor " + cursor + "; stopping there");
                return tools;
            }
        }
        Log.warn("mcp", name + ": tools/list gave more than " + MAX_PAGES + " pages; using the first ones");
        return tools;
    }

    /** Calls a tool; every failure becomes an error result the model can read. */
    ToolResult call(String tool, JsonNode arguments, Runnable pulse) throws InterruptedException {
        ObjectNode params = Json.object();
        params.put("name", tool);
        params.set("arguments", arguments != null && arguments.isObject() ? arguments : Json.object());
        for (int attempt = 1; ; attempt++) {
            JsonRpcPeer p;
            try {
                p = running();
            } catch (McpCallException e) {
                return ToolResult.error("The MCP server " + name + " could not be started: " + e.getMessage());
            }
            try {
                return McpResults.toToolResult(p.request("tools/call", params, timeouts.call(), pulse));
            } catch (McpCallException e) {
                switch (e.kind()) {
                    case NOT_SENT -> {
                        discard(p);
                        if (attempt == 1) {
                            Log.warn("mcp", name + ": " + e.getMessage() + "; restarting it for " + tool);
                            continue;
                        }
                        return ToolResult.error("The MCP server " + name + " is not running and the restarted one"
                                + " failed too: " + e.getMessage());
                    }
                    case CRASHED -> {
                        Log.warn("mcp", name + ": crashed during " + tool + ": " + e.getMessage());
                        return ToolResult.error("The MCP server " + name + " crashed during the call to " + tool
                                + " (" + e.getMessage() + ") and " + restart(p) + ". The call may or may not have"
                                + " taken effect.");
                    }
                    case TIMEOUT -> {
                        Log.warn("mcp", name + ": " + tool + " timed out");
                        return ToolResult.error("The call to " + tool + " on the MCP server " + name
                                + " timed out after " + JsonRpcPeer.describe(timeouts.call()) + "; the server "
                                + restart(p) + ".");
                    }
                    default -> {
                        return ToolResult.error("The MCP server " + name + " returned an error for " + tool + ": "
                                + e.getMessage());
                    }
                }
            }
        }
    }

    /** Replaces a failed server with a fresh one; says how that went. */
    private String restart(JsonRpcPeer failed) throws InterruptedException {
        discard(failed);
        try {
            running();
            return "was restarted";
        } catch (McpCallException e) {
            Log.warn("mcp", name + ": restart failed: " + e.getMessage());
            return "could not be restarted (" + e.getMessage() + ")";
        }
    }

    /** Drops a failed server, unless another call already replaced it. */
    private synchronized void discard(JsonRpcPeer failed) {
        if (peer == failed) {
            peer = null;
        }
        failed.close();
    }

    /** The pid of the running server, or -1; for tests and logs. */
    synchronized long pid() {
        return peer != null && peer.alive() ? peer.pid() : -1;
    }

    @Override
    public synchronized void close() {
        if (peer != null) {
            peer.close();
            peer = null;
        }
    }
}
