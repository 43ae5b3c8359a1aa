package io.nanoclaw.runner.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.config.McpServerConfig;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.tools.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The agent group's stdio MCP servers and their tools. The model needs the whole tools list when the session
 * starts (and the list must not change after, for the prompt cache), so every server is started once up front, in
 * parallel, and asked for its tools; a server that fails there is logged and contributes none. Servers then keep
 * running and are restarted when they crash.
 */
public final class McpServers implements AutoCloseable {
    /** Claude Code cuts MCP tool descriptions at this length; a server's essay should not crowd the prompt. */
    static final int MAX_DESCRIPTION = 2048;

    private final List<McpServer> servers;
    private final List<Tool> tools;

    private McpServers(List<McpServer> servers, List<Tool> tools) {
        this.servers = servers;
        this.tools = tools;
    }

    public static McpServers none() {
        return new McpServers(List.of(), List.of());
    }

    /**
     * Starts every server and lists its tools. Blocks until each has answered or failed (each step has its own
     * timeout); never throws for a server's failure.
     *
     * @param workingDir the servers' working folder (the agent's folder); null keeps the runner's
     */
    public static McpServers discover(Map<String, McpServerConfig> configs, Path workingDir, McpTimeouts timeouts)
            throws InterruptedException {
        if (configs.isEmpty()) {
            return none();
        }
        // sorted, so the tools list is the same on every start whatever order the config had
        Map<String, McpServerConfig> sorted = new TreeMap<>(configs);
        List<McpServer> servers = new ArrayList<>();
        List<List<JsonNode>> listed = new ArrayList<>();
        List<Thread> starters = new ArrayList<>();
        for (Map.Entry<String, McpServerConfig> e : sorted.entrySet()) {
            McpServer server = new McpServer(e.getKey(), e.getValue(), workingDir, timeouts);
            List<JsonNode> toolsOfServer = new ArrayList<>();
            servers.add(server);
            listed.add(toolsOfServer);
            Thread t = new Thread(() -> startAndList(server, toolsOfServer), "mcp-start-" + e.getKey());
            t.setDaemon(true);
            t.start();
            starters.add(t);
        }
        try {
            for (Thread t : starters) {
                t.join();
            }
        } catch (InterruptedException e) {
            servers.forEach(McpServer::close);
            throw e;
        }
        List<Tool> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            McpServer server = servers.get(i);
            int before = tools.size();
            for (JsonNode t : listed.get(i)) {
                McpTool tool = tool(server, t, names);
                if (tool != null) {
                    tools.add(tool);
                }
            }
            if (server.pid() >= 0) {
                Log.info("mcp", server.name() + ": " + (tools.size() - before) + " tool(s)");
            }
        }
        return new McpServers(List.copyOf(servers), List.copyOf(tools));
    }

    private static void startAndList(McpServer server, List<JsonNode> into) {
        try {
            into.addAll(server.listTools());
        } catch (McpCallException e) {
            Log.warn("mcp", server.name() + ": not available, its tools are left out: " + e.getMessage());
            server.close();
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Log.error("mcp", server.name() + ": not available, its tools are left out", e);
            server.close();
        }
    }

    /** The Tool for one tools/list entry, or null (logged) when it cannot be offered to the model. */
    private static McpTool tool(McpServer server, JsonNode entry, Set<String> taken) {
        String remote = Json.text(entry, "name");
        if (remote == null || remote.isBlank()) {
            Log.warn("mcp", server.name() + ": skipping a tool without a name");
            return null;
        }
        JsonNode schemaNode = entry.get("inputSchema");
        ObjectNode schema;
        if (schemaNode == null || schemaNode.isNull()) {
            schema = Json.object();
            schema.put("type", "object");
        } else if (schemaNode.isObject() && (schemaNode.get("type") == null
                || "object".equals(Json.text(schemaNode, "type")))) {
            schema = ((ObjectNode) schemaNode).deepCopy();
            if (schema.get("type") == null) {
                schema.put("type", "object"); // the Messages API requires it
            }
        } else {
            Log.warn("mcp", server.name() + ": skipping tool " + remote + ": its inputSchema is not an object schema");
            return null;
        }
        String name = McpToolNames.of(server.name(), remote);
        String plain = "mcp__" + McpToolNames.sanitize(server.name()) + "__" + McpToolNames.sanitize(remote);
        if (!name.equals(plain)) {
            Log.warn("mcp", server.name() + ": tool " + remote + " is offered as " + name + " (names are limited to "
                    + McpToolNames.MAX + " characters)");
        }
        if (!taken.add(name)) {
            Log.warn("mcp", server.name() + ": skipping tool " + remote + ": the name " + name
                    + " is taken by another server's tool");
            return null;
        }
        String description = Json.firstNonEmpty(Json.text(entry, "description"), Json.text(entry, "title"),
                "Tool " + remote + " of the MCP server " + server.name());
        if (description.length() > MAX_DESCRIPTION) {
            description = description.substring(0, MAX_DESCRIPTION) + "… [truncated]";
        }
        return new McpTool(server, name, remote, description, schema);
    }

    /** Every server's tools, ordered by server name, then as each server listed them. */
    public List<Tool> tools() {
        return tools;
    }

    /** Stops every server and the processes they started. */
    @Override
    public void close() {
        servers.forEach(McpServer::close);
    }
}
