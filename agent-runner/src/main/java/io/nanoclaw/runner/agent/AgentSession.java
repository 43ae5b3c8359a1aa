package io.nanoclaw.runner.agent;

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
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent as the poll loop sees it: a prompt in, the final answer text out, with the history kept. Behind
 * {@link #respond} runs the agentic loop of agent-runner.md 8.3 ({@link ToolLoop}).
 */
public final class AgentSession {
    private final ModelProvider provider;
    private final String systemPrompt;
    private final ConversationHistory history;
    private final List<Tool> tools;
    private final Map<String, Tool> toolsByName;
    private final ToolContext toolContext;
    private final Runnable heartbeat;

    /** Without tools: one model call per prompt, no {@code tools} key in the request. */
    public AgentSession(ModelProvider provider, String systemPrompt, ConversationHistory history) {
        this(provider, systemPrompt, history, List.of(),
                new ToolContext(Path.of("."), List.of(), ToolContext.NO_LIVENESS), () -> { });
    }

    /**
     * @param tools     offered to the model in this order on every call (keep it fixed: prompt caching)
     * @param context   handed to every tool call
     * @param heartbeat touched before and after each tool call (the provider's activity callback)
     */
    public AgentSession(ModelProvider provider, String systemPrompt, ConversationHistory history, List<Tool> tools,
                        ToolContext context, Runnable heartbeat) {
        this.provider = provider;
        this.systemPrompt = systemPrompt;
        this.history = history;
        this.tools = List.copyOf(tools);
        this.toolContext = context;
        this.heartbeat = heartbeat;
        Map<String, Tool> byName = new LinkedHashMap<>();
        for (Tool t : this.tools) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two tools named " + t.name());
            }
        }
        this.toolsByName = byName;
    }

    /**
     * One user turn, with as many model calls and tool runs as the model asks for. The whole exchange goes into
     * the history only when the turn ends well; a failure leaves the history as it was.
     */
    public String respond(String prompt) throws ProviderException {
        List<ObjectNode> exchange = new ArrayList<>();
        exchange.add(Turns.user(prompt));
        ModelReply reply = new ToolLoop(provider, systemPrompt, tools, toolsByName, toolContext, heartbeat)
                .run(history, exchange);
        String text = reply.text();
        ObjectNode last = exchange.get(exchange.size() - 1);
        if (!Turns.ASSISTANT.equals(Json.text(last, "role"))) {
            // The API rejects empty assistant turns, so an answer without content can't be stored; dropping the
            // exchange keeps the history valid (the user got no reply either).
            Log.warn("agent", "empty answer (stop=" + reply.stopReason() + "), not kept in the history");
        } else {
            history.record(exchange);
        }
        return text;
    }

    /** /clear: a new conversation, whose id replaces the continuation at once. */
    public void clear() throws SQLException {
        history.startNew();
    }
}
