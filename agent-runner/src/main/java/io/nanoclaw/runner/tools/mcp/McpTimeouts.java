package io.nanoclaw.runner.tools.mcp;

import java.time.Duration;

/**
 * How long the runner waits on an MCP server.
 *
 * @param startup each step of starting one: {@code initialize}, and each {@code tools/list} page
 * @param call    one {@code tools/call}; a server that takes longer is restarted
 */
public record McpTimeouts(Duration startup, Duration call) {
    public static McpTimeouts defaults() {
        return new McpTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(10));
    }
}
