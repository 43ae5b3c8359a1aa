package io.nanoclaw.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.protocol.JournalMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void missingOrInvalidFilesGiveDefaults() throws Exception {
        assertEquals(RunnerConfig.defaults(), ConfigLoader.load(tmp.resolve("absent.json")));
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{not json");
        assertEquals(RunnerConfig.defaults(), ConfigLoader.load(bad));
        Files.writeString(bad, "[1,2]");
        assertEquals(RunnerConfig.defaults(), ConfigLoader.load(bad));
    }

    @Test
    void defaults() {
        RunnerConfig d = RunnerConfig.defaults();
        assertEquals("anthropic", d.provider());
        assertEquals("claude-sonnet-4-5", d.model());
        assertEquals(10, d.maxMessagesPerPrompt());
        assertEquals(4096, d.maxTokens());
        assertNull(d.assistantName());
    }

    @Test
    void readsFieldsAndMapsAliases() throws Exception {
        Path f = tmp.resolve("container.json");
        Files.writeString(f, """
                {"provider":"Claude","model":"opus","assistantName":"Andy","agentGroupId":"ag-1",
                 "groupName":"Main","maxMessagesPerPrompt":3,"maxTokens":2048,"mcpServers":{}}""");
        assertEquals(new RunnerConfig("anthropic", "claude-opus-4-1", "Andy", "ag-1", "Main", 3, 2048, Map.of(), null),
                ConfigLoader.load(f));
    }

    @Test
    void mcpServersKeepTheirOrderAndBadEntriesAreSkipped() throws Exception {
        Path f = tmp.resolve("container.json");
        Files.writeString(f, """
                {"mcpServers":{
                  "zeta":{"command":"npx","args":["-y","@scope/server",8080],"env":{"TOKEN":"t","PORT":1}},
                  "alpha":{"command":" uvx ","instructions":"ignored here"},
                  "no-command":{"args":["x"]},
                  "url-only":{"url":"http://example.invalid/mcp"},
                  "bad-args":{"command":"x","args":"not a list"},
                  "bad-env":{"command":"x","env":{"A":{"nested":true}}},
                  "scalar":"npx server"}}""");
        RunnerConfig c = ConfigLoader.load(f);
        assertEquals(List.of("zeta", "alpha"), List.copyOf(c.mcpServers().keySet()));
        assertEquals(new McpServerConfig("npx", List.of("-y", "@scope/server", "8080"),
                Map.of("TOKEN", "t", "PORT", "1")), c.mcpServers().get("zeta"));
        assertEquals(new McpServerConfig("uvx", List.of(), Map.of()), c.mcpServers().get("alpha"));

        Files.writeString(f, "{\"mcpServers\":[1]}");
        assertTrue(ConfigLoader.load(f).mcpServers().isEmpty());
        assertTrue(RunnerConfig.defaults().mcpServers().isEmpty());
    }

    @Test
    void modelAliasesAndFullIds() {
        assertEquals("claude-sonnet-4-5", ModelAliases.resolve("sonnet"));
        assertEquals("claude-haiku-4-5", ModelAliases.resolve("HAIKU"));
        assertEquals("claude-opus-4-1", ModelAliases.resolve("opus"));
        assertEquals("claude-3-7-sonnet-20250219", ModelAliases.resolve("claude-3-7-sonnet-20250219"));
        assertEquals("claude-sonnet-4-5", ModelAliases.resolve(" "));
    }

    @Test
    void badNumbersFallBack() throws Exception {
        Path f = tmp.resolve("c.json");
        Files.writeString(f, "{\"maxMessagesPerPrompt\":0,\"maxTokens\":\"512\"}");
        RunnerConfig c = ConfigLoader.load(f);
        assertEquals(10, c.maxMessagesPerPrompt());
        assertEquals(512, c.maxTokens());
    }

    @Test
    void environmentDefaultsAndOverrides() {
        RunnerEnvironment d = RunnerEnvironment.from(Map.of());
        assertEquals(Path.of("/workspace"), d.workspace());
        assertEquals(Path.of("/workspace/agent/container.json"), d.configFile());
        assertEquals("https://api.anthropic.com", d.anthropicBaseUrl().toString());
        assertEquals("https://api.openai.com/v1", d.openaiBaseUrl().toString());
        assertEquals(Path.of("/home/agent/.nanoclaw"), d.stateDir());
        assertEquals(JournalMode.WAL, d.journalMode());
        assertNull(d.proxyToken());

        RunnerEnvironment e = RunnerEnvironment.from(Map.of("NANOCLAW_WORKSPACE", "/tmp/ws",
                "ANTHROPIC_BASE_URL", "http://proxy:3001", "NANOCLAW_PROXY_TOKEN", "secret-token",
                "OPENAI_BASE_URL", "http://proxy:3001/openai/v1",
                "TZ", "Europe/Berlin", "NANOCLAW_JOURNAL_MODE", "delete", "NANOCLAW_STATE_DIR", "/tmp/state"));
        assertEquals(Path.of("/tmp/ws/inbound.db"), e.inboundDb());
        assertEquals(Path.of("/tmp/ws/agent/container.json"), e.configFile());
        assertEquals(ZoneId.of("Europe/Berlin"), e.zone());
        assertEquals(JournalMode.DELETE, e.journalMode());
        assertEquals("secret-token", e.proxyToken());
        assertEquals("http://proxy:3001/openai/v1", e.openaiBaseUrl().toString());
        assertFalse(e.toString().contains("secret-token"), "the token never reaches a log line");
        assertThrows(IllegalArgumentException.class,
                () -> RunnerEnvironment.from(Map.of("NANOCLAW_JOURNAL_MODE", "MEMORY")));
        assertThrows(IllegalArgumentException.class,
                () -> RunnerEnvironment.from(Map.of("OPENAI_BASE_URL", "localhost:11434/v1")));
    }
}
