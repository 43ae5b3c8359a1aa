package io.nanoclaw.runner.config;

import java.util.List;
import java.util.Map;

/**
 * One stdio MCP server from container.json's {@code mcpServers}: the command the runner starts, its arguments, and
 * the variables added to the runner's own environment for it.
 */
public record McpServerConfig(String command, List<String> args, Map<String, String> env) {
    public McpServerConfig {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
