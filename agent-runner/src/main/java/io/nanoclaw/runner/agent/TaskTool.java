package io.nanoclaw.runner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.history.ConversationHistory;
import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Claude Code's Task tool (agent-runner.md 8.4 "should have"): a subagent that does one task in a context of its
 * own and hands back its final answer, so a long search or a side job doesn't fill the main conversation. It
 * gets the work tools (files, commands, web, skills, MCP servers) but neither the messaging tools (it talks to the
 * agent that called it, not to people) nor Task itself (no nesting). Its conversation is kept in memory only.
 */
public final class TaskTool implements Tool {
    static final String NAME = "Task";
    static final String SYSTEM = "You are a subagent: another agent gave you the task below. Do it with your tools, "
            + "working in /workspace/agent, then write your final answer: it goes back to that agent, not to any "
            + "person, so make it complete and self-contained (what you found or did, with exact paths, names and "
            + "figures), and do not address the user.";

    private final ModelProvider provider;
    private final Supplier<List<Tool>> tools;
    private final Runnable heartbeat;
    private final ObjectNode schema;

    /** @param tools the subagent's tools, read when a task starts (MCP tools are known only after start-up) */
    public TaskTool(ModelProvider provider, Supplier<List<Tool>> tools, Runnable heartbeat) {
        this.provider = provider;
        this.tools = tools;
        this.heartbeat = heartbeat;
        ObjectNode s = Json.object();
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        props.putObject("description").put("type", "string")
                .put("description", "A short (3-5 word) description of the task");
        props.putObject("prompt").put("type", "string").put("description", "The task for the agent to perform");
        props.putObject("subagent_type").put("type", "string")
                .put("description", "The type of specialized agent to use for this task (only general-purpose)");
        s.putArray("required").add("description").add("prompt");
        this.schema = s;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Launch a subagent to handle a complex, multi-step task on its own (a broad search through files, a "
                + "research question needing several fetches, a side job). It works in a separate context with the "
                + "file, command, web and skill tools, and returns one final report; it cannot message people. Give "
                + "it a detailed prompt that says exactly what to return.";
    }

    @Override
    public ObjectNode inputSchema() {
        return schema;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public ToolResult run(JsonNode input, ToolContext context) throws InterruptedException {
        JsonNode prompt = input.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            return ToolResult.error("prompt is required: the task for the subagent");
        }
        List<Tool> list = tools.get();
        Map<String, Tool> byName = new LinkedHashMap<>();
        list.forEach(t -> byName.put(t.name(), t));
        List<ObjectNode> exchange = new ArrayList<>();
        exchange.add(Turns.user(prompt.asText()));
        String what = Json.text(input, "description");
        Log.info("agent", "subagent started" + (what == null ? "" : ": " + what));
        try {
            ModelReply reply = new ToolLoop(provider, SYSTEM, list, byName, context, heartbeat, FollowUps.NONE,
                    new UsageTotals()).run(ConversationHistory.ephemeral(), exchange);
            String text = reply.text() == null ? "" : reply.text().strip();
            return ToolResult.ok(text.isEmpty() ? "(the subagent finished without a report)" : text);
        } catch (ProviderException e) {
            return ToolResult.error("The subagent failed: " + e.getMessage());
        }
    }
}
