package io.nanoclaw.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Reads container.json. A missing or invalid file gives the defaults, as upstream does: never fatal. */
public final class ConfigLoader {
    private static final Set<String> OPENAI_ALIASES = Set.of("openai-compatible", "ollama", "llamacpp", "llama.cpp",
            "llama-cpp", "vllm", "openrouter");

    private ConfigLoader() {}

    public static RunnerConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            Log.info("config", "no " + file + ", using defaults");
            return RunnerConfig.defaults();
        } catch (IOException e) {
            Log.warn("config", "cannot read " + file + " (" + Log.describe(e) + "), using defaults");
            return RunnerConfig.defaults();
        }
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (IOException e) {
            Log.warn("config", file + " is not valid JSON, using defaults");
            return RunnerConfig.defaults();
        }
        if (root == null || !root.isObject()) {
            Log.warn("config", file + " is not a JSON object, using defaults");
            return RunnerConfig.defaults();
        }
        return fromJson(root);
    }

    public static RunnerConfig fromJson(JsonNode root) {
        String provider = provider(Json.text(root, "provider"));
        String model = Json.text(root, "model");
        return new RunnerConfig(
                provider,
                RunnerConfig.OPENAI.equals(provider) ? blankToNull(model == null ? null : model.trim())
                        : ModelAliases.resolve(model),
                blankToNull(Json.text(root, "assistantName")),
                blankToNull(Json.text(root, "agentGroupId")),
                blankToNull(Json.text(root, "groupName")),
                positiveInt(root.get("maxMessagesPerPrompt"), RunnerConfig.DEFAULT_MAX_MESSAGES_PER_PROMPT),
                positiveInt(root.get("maxTokens"), RunnerConfig.DEFAULT_MAX_TOKENS),
                McpServersReader.read(root.get("mcpServers")),
                blankToNull(Json.text(root, "effort")));
    }

    static String provider(String raw) {
        if (raw == null || raw.isBlank()) {
            return RunnerConfig.ANTHROPIC;
        }
        String p = raw.trim().toLowerCase(Locale.ROOT);
        // upstream's provider is "claude"; for us that means the Messages API
        if (p.equals("claude")) {
            return RunnerConfig.ANTHROPIC;
        }
        // the servers users name are all reached through the one chat-completions provider
        return OPENAI_ALIASES.contains(p) ? RunnerConfig.OPENAI : p;
    }

    private static int positiveInt(JsonNode v, int fallback) {
        int i = -1;
        if (v != null && v.isIntegralNumber() && v.canConvertToInt()) {
            i = v.intValue();
        } else if (v != null && v.isTextual()) {
            i = parseOr(v.asText(), -1);
        }
        return i > 0 ? i : fallback;
    }

    private static int parseOr(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
