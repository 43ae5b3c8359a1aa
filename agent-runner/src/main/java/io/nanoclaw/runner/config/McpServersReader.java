package io.nanoclaw.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.log.Log;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads container.json's {@code mcpServers: {name: {command, args[], env{}}}}. A bad entry is skipped with a
 * warning and the others are kept: one typo must not cost the agent every server (nor its start).
 */
final class McpServersReader {
    private McpServersReader() {}

    static Map<String, McpServerConfig> read(JsonNode servers) {
        Map<String, McpServerConfig> out = new LinkedHashMap<>();
        if (servers == null || servers.isNull()) {
            return out;
        }
        if (!servers.isObject()) {
            Log.warn("config", "mcpServers is not an object; no MCP servers");
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = servers.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String problem = problem(e.getKey(), e.getValue());
            if (problem != null) {
                Log.warn("config", "skipping MCP server '" + e.getKey() + "': " + problem);
                continue;
            }
            JsonNode v = e.getValue();
            out.put(e.getKey(), new McpServerConfig(v.get("command").asText().trim(), strings(v.get("args")),
                    envOf(v.get("env"))));
        }
        return out;
    }

    /** Why an entry is unusable, or null. Scalars in args and env are taken as text (a port given as 8080). */
    private static String problem(String name, JsonNode v) {
        if (name.isBlank()) {
            return "the name is empty";
        }
        if (!v.isObject()) {
            return "not an object";
        }
        JsonNode command = v.get("command");
        if (command == null || !command.isTextual() || command.asText().isBlank()) {
            return "no command (only stdio servers are supported)";
        }
        JsonNode args = v.get("args");
        if (args != null && !args.isNull()) {
            if (!args.isArray()) {
                return "args is not an array";
            }
            for (JsonNode a : args) {
                if (a.isContainerNode() || a.isNull()) {
                    return "args must be strings";
                }
            }
        }
        JsonNode env = v.get("env");
        if (env != null && !env.isNull()) {
            if (!env.isObject()) {
                return "env is not an object";
            }
            for (JsonNode value : env) {
                if (value.isContainerNode()) {
                    return "env values must be strings";
                }
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode args) {
        List<String> out = new ArrayList<>();
        if (args != null) {
            args.forEach(a -> out.add(a.asText()));
        }
        return out;
    }

    private static Map<String, String> envOf(JsonNode env) {
        Map<String, String> out = new LinkedHashMap<>();
        if (env != null) {
            env.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return out;
    }
}
