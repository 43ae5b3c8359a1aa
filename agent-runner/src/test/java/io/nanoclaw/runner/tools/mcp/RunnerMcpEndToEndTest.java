package io.nanoclaw.runner.tools.mcp;

import static io.nanoclaw.runner.testing.FakeAnthropicServer.message;
import static io.nanoclaw.runner.testing.FakeAnthropicServer.toolUse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.Runner;
import io.nanoclaw.runner.RunnerOptions;
import io.nanoclaw.runner.config.ConfigLoader;
import io.nanoclaw.runner.config.McpServerConfig;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.testing.FakeAnthropicServer;
import io.nanoclaw.runner.testing.SessionFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** container.json's MCP server, through the real runner: its tools reach the model and its calls are answered. */
class RunnerMcpEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void anMcpServerFromContainerJsonServesTheModelsToolCall() throws Exception {
        McpServerConfig fake = McpServersTest.fake(Map.of());
        ObjectNode json = Json.object().put("model", "sonnet");
        ObjectNode server = json.putObject("mcpServers").putObject("fake");
        server.put("command", fake.command());
        fake.args().forEach(server.putArray("args")::add);
        RunnerConfig config = ConfigLoader.fromJson(json);

        try (SessionFixture session = new SessionFixture(tmp); FakeAnthropicServer api = new FakeAnthropicServer()) {
            session.addDestination("cli", "channel", "cli", "local", null);
            api.enqueue(message("tool_use", toolUse("toolu_1", "mcp__fake__echo", "{\"text\":\"hi\"}")));
            api.enqueue(FakeAnthropicServer.text("<message to=\"cli\">done</message>"));
            Runner runner = Runner.open(session.env(api.baseUrl()), config, RunnerOptions.defaults());
            List<ProcessHandle> children = ProcessHandle.current().children().toList();
            assertFalse(children.isEmpty(), "the MCP server runs from the start");
            Thread loop = new Thread(runner.loop(), "test-poll-loop");
            loop.start();
            try {
                session.chat("m1", 2, "echo hi please");
                assertEquals("done", session.awaitReplies(1).get(0).text());
            } finally {
                runner.loop().stop();
                loop.join(5000);
                runner.close();
            }

            List<String> names = new ArrayList<>();
            api.requests().get(0).body().get("tools").forEach(t -> names.add(t.get("name").asText()));
            assertEquals(List.of("Bash", "Read", "Write", "Edit", "Glob", "Grep", "WebFetch", "Skill", "TodoWrite",
                    "Task", "send_message"), names.subList(0, 11), "built-ins, the subagent, then our own tools");
            int firstMcp = names.indexOf("mcp__fake__echo");
            assertTrue(firstMcp > names.indexOf("add_mcp_server"), "the group's MCP tools come last");
            assertTrue(names.subList(firstMcp, names.size()).stream().allMatch(n -> n.startsWith("mcp__fake__")));
            JsonNode result = api.requests().get(1).messages().get(2).get("content").get(0);
            assertEquals("tool_result", result.get("type").asText());
            assertEquals("echo: hi", result.get("content").asText());
            assertFalse(result.has("is_error"));

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (children.stream().anyMatch(ProcessHandle::isAlive)) {
                assertTrue(System.nanoTime() < deadline, "closing the runner stops its MCP servers");
                Thread.sleep(20);
            }
        }
    }
}
