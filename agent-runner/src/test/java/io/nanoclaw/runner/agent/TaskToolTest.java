package io.nanoclaw.runner.agent;

import static io.nanoclaw.runner.testing.FakeAnthropicServer.message;
import static io.nanoclaw.runner.testing.FakeAnthropicServer.toolUse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.HttpClients;
import io.nanoclaw.runner.provider.anthropic.AnthropicProvider;
import io.nanoclaw.runner.provider.anthropic.AnthropicSettings;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import io.nanoclaw.runner.testing.FakeAnthropicServer;
import io.nanoclaw.runner.testing.RequestAssertions;
import io.nanoclaw.runner.testing.SessionFixture;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import io.nanoclaw.runner.tools.builtin.BuiltinTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Task tool: a subagent with its own context, the work tools, and one report back. */
class TaskToolTest {
    @TempDir
    Path tmp;
    FakeAnthropicServer api;

    @BeforeEach
    void start() throws Exception {
        api = new FakeAnthropicServer();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aSubagentRunsToolsInItsOwnContextAndReportsBack() throws Exception {
        Files.writeString(tmp.resolve("data.txt"), "the answer is 42");
        api.enqueue(message("tool_use", toolUse("toolu_sub", "Read", "{\"file_path\":\"" + tmp.resolve("data.txt")
                + "\"}")));
        api.enqueue(FakeAnthropicServer.text("The file says the answer is 42."));
        AnthropicProvider provider = new AnthropicProvider(new AnthropicSettings(api.baseUrl(), SessionFixture.TOKEN,
                "claude-sonnet-4-5", 1024), HttpClients.shared(), RetryPolicy.standard(), d -> { }, () -> { });
        List<Tool> work = BuiltinTools.all();
        TaskTool task = new TaskTool(provider, () -> work, () -> { });
        ToolResult r = task.run(Json.object().put("description", "read the data").put("prompt", "What does data.txt say?"),
                new ToolContext(tmp, List.of(tmp), ToolContext.NO_LIVENESS));
        assertFalse(r.isError(), r.text());
        assertEquals("The file says the answer is 42.", r.text());

        JsonNode first = api.requests().get(0).body();
        RequestAssertions.assertWellFormed(api.requests().get(0));
        RequestAssertions.assertWellFormed(api.requests().get(1));
        assertTrue(RequestAssertions.system(first).startsWith("You are a subagent"), "its own system prompt");
        assertEquals(1, first.get("messages").size(), "its own context: just the task");
        List<String> names = new java.util.ArrayList<>();
        first.get("tools").forEach(t -> names.add(t.get("name").asText()));
        assertFalse(names.contains("Task"), "no nesting");
        assertTrue(names.contains("Read"));
    }

    @Test
    void aMissingPromptIsAToolError() throws Exception {
        TaskTool task = new TaskTool(null, List::of, () -> { });
        assertTrue(task.run(Json.object(), new ToolContext(tmp, List.of(tmp), ToolContext.NO_LIVENESS)).isError());
    }
}
