package io.nanoclaw.runner.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent group's settings from /workspace/agent/container.json, after defaults and alias mapping.
 *
 * @param provider normalized provider name: "anthropic" ("claude" is read as an alias) or "openai" (the
 *                 OpenAI-compatible chat-completions API; "ollama", "vllm" and the like are aliases)
 * @param model a full model id: for anthropic with the aliases mapped and a default; for openai exactly as
 *              configured, and null when none is (no default fits every server)
 * @param mcpServers the stdio MCP servers by name, in container.json's order (never null)
 * @param effort low, medium, high, xhigh or max (how hard the model thinks), or null for no extended thinking
 */
public record RunnerConfig(
        String provider,
        String model,
        String assistantName,
        String agentGroupId,
        String groupName,
        int maxMessagesPerPrompt,
        int maxTokens,
        Map<String, McpServerConfig> mcpServers,
        String effort) {

    public static final String ANTHROPIC = "anthropic";
    public static final String OPENAI = "openai";
    public static final int DEFAULT_MAX_MESSAGES_PER_PROMPT = 10;
    public static final int DEFAULT_MAX_TOKENS = 4096;

    public RunnerConfig {
        mcpServers = mcpServers == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(mcpServers));
    }

    public static RunnerConfig defaults() {
        return new RunnerConfig(ANTHROPIC, ModelAliases.DEFAULT_MODEL, null, null, null,
                DEFAULT_MAX_MESSAGES_PER_PROMPT, DEFAULT_MAX_TOKENS, Map.of(), null);
    }
}
