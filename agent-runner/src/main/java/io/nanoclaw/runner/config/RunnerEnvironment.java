package io.nanoclaw.runner.config;

import io.nanoclaw.protocol.ContainerEnv;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.SessionFiles;
import io.nanoclaw.runner.format.TimeZones;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

/**
 * What the runner takes from its environment. The proxy token is a per-session credential: it is kept out of
 * {@link #toString()} so that logging this record never leaks it.
 *
 * @param configFile container.json (overridable with NANOCLAW_CONFIG, for tests and manual runs)
 * @param anthropicBaseUrl the Messages API root (in a container: the credential proxy)
 * @param openaiBaseUrl the chat-completions API root, up to and including {@code /v1} (in a container: the
 *                      proxy's {@code /openai/v1} route)
 */
public record RunnerEnvironment(
        Path workspace,
        Path configFile,
        URI anthropicBaseUrl,
        URI openaiBaseUrl,
        String proxyToken,
        ZoneId zone,
        Path stateDir,
        JournalMode journalMode) {

    public static final String CONFIG_FILE = "NANOCLAW_CONFIG";
    public static final String DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";
    public static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";

    /** Reads the env; a bad journal mode or base URL throws, because running with either would be wrong. */
    public static RunnerEnvironment from(Map<String, String> env) {
        Path workspace = Path.of(orDefault(env.get(ContainerEnv.WORKSPACE), SessionFiles.CONTAINER_WORKSPACE));
        Path config = env.get(CONFIG_FILE) != null && !env.get(CONFIG_FILE).isBlank()
                ? Path.of(env.get(CONFIG_FILE))
                : workspace.resolve("agent").resolve("container.json");
        URI baseUrl = baseUrl(env, ContainerEnv.ANTHROPIC_BASE_URL, DEFAULT_ANTHROPIC_BASE_URL);
        URI openaiBaseUrl = baseUrl(env, ContainerEnv.OPENAI_BASE_URL, DEFAULT_OPENAI_BASE_URL);
        String token = env.get(ContainerEnv.PROXY_TOKEN);
        return new RunnerEnvironment(
                workspace,
                config,
                baseUrl,
                openaiBaseUrl,
                token == null || token.isBlank() ? null : token.trim(),
                TimeZones.fromEnvironment(env.get(ContainerEnv.TZ)),
                Path.of(orDefault(env.get(ContainerEnv.STATE_DIR), SessionFiles.CONTAINER_STATE_DIR)),
                JournalMode.parse(env.get(ContainerEnv.JOURNAL_MODE)));
    }

    private static URI baseUrl(Map<String, String> env, String name, String fallback) {
        URI url;
        try {
            url = URI.create(orDefault(env.get(name), fallback).trim());
        } catch (IllegalArgumentException e) {
            url = null;
        }
        if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException(name
                    + " must be an absolute http(s) URL with a host name (no underscores in it)");
        }
        return url;
    }

    public Path inboundDb() {
        return workspace.resolve(SessionFiles.INBOUND_DB);
    }

    public Path outboundDb() {
        return workspace.resolve(SessionFiles.OUTBOUND_DB);
    }

    public Path heartbeatFile() {
        return workspace.resolve(SessionFiles.HEARTBEAT);
    }

    @Override
    public String toString() {
        return "RunnerEnvironment[workspace=" + workspace + ", configFile=" + configFile + ", anthropicBaseUrl="
                + anthropicBaseUrl + ", openaiBaseUrl=" + openaiBaseUrl + ", proxyToken="
                + (proxyToken == null ? "absent" : "set") + ", zone=" + zone
                + ", stateDir=" + stateDir + ", journalMode=" + journalMode + "]";
    }

    private static String orDefault(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }
}
