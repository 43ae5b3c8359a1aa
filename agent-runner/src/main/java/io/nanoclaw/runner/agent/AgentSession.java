package io.nanoclaw.runner.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.history.ConversationHistory;
import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.provider.TokenUsage;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent as the poll loop sees it: a prompt in, the final answer text out, with the history kept. Behind
 * {@link #respond} runs the agentic loop of agent-runner.md 8.3 ({@link ToolLoop}); after a turn whose context
 * passed the window, {@link #compactIfNeeded} summarises the conversation.
 */
public final class AgentSession {
    private final ModelProvider provider;
    private final PromptSource prompt;
    private final ConversationHistory history;
    private final List<Tool> tools;
    private final Map<String, Tool> toolsByName;
    private final ToolContext toolContext;
    private final Runnable heartbeat;
    private final CompactionSettings compaction;
    private final Compactor compactor;
    private long lastContextTokens;
    private final UsageTotals usage = new UsageTotals();
    private String lastSystem;

    /** What the system prompt and the compaction reminder are made from; read at the start of every turn. */
    public interface PromptSource {
        String systemPrompt();

        List<String> destinationNames();

        static PromptSource fixed(String system) {
            return new PromptSource() {
                @Override
                public String systemPrompt() {
                    return system;
                }

                @Override
                public List<String> destinationNames() {
                    return List.of();
                }
            };
        }
    }

    /** Without tools: one model call per prompt, no {@code tools} key in the request. */
    public AgentSession(ModelProvider provider, String systemPrompt, ConversationHistory history) {
        this(provider, PromptSource.fixed(systemPrompt), history, List.of(),
                new ToolContext(Path.of("."), List.of(), ToolContext.NO_LIVENESS), () -> { },
                new CompactionSettings(CompactionSettings.DEFAULT_WINDOW), null, Clock.systemDefaultZone());
    }

    /** With tools, a fixed system prompt and the default compaction window (tests and the self-test). */
    public AgentSession(ModelProvider provider, String systemPrompt, ConversationHistory history, List<Tool> tools,
                        ToolContext context, Runnable heartbeat) {
        this(provider, PromptSource.fixed(systemPrompt), history, tools, context, heartbeat,
                new CompactionSettings(CompactionSettings.DEFAULT_WINDOW), null, Clock.systemDefaultZone());
    }

    /**
     * @param tools      offered to the model in this order on every call (keep it fixed: prompt caching)
     * @param context    handed to every tool call
     * @param heartbeat  touched before and after each tool call (the provider's activity callback)
     * @param assistantName names the agent's lines in conversation archives
     */
    public AgentSession(ModelProvider provider, PromptSource prompt, ConversationHistory history, List<Tool> tools,
                        ToolContext context, Runnable heartbeat, CompactionSettings compaction, String assistantName,
                        Clock clock) {
        this.provider = provider;
        this.prompt = prompt;
        this.history = history;
        this.tools = List.copyOf(tools);
        this.toolContext = context;
        this.heartbeat = heartbeat;
        this.compaction = compaction;
        this.compactor = new Compactor(provider, context.workingDir().resolve("conversations"), assistantName, clock);
        Map<String, Tool> byName = new LinkedHashMap<>();
        for (Tool t : this.tools) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two tools named " + t.name());
            }
        }
        this.toolsByName = byName;
    }

    public String respond(String userPrompt) throws ProviderException {
        return respond(userPrompt, FollowUps.NONE);
    }

    /**
     * One user turn, with as many model calls and tool runs as the model asks for; messages that arrive meanwhile
     * come from {@code followUps}. The whole exchange goes into the history only when the turn ends well; a
     * failure leaves the history as it was.
     */
    public String respond(String userPrompt, FollowUps followUps) throws ProviderException {
        List<ObjectNode> exchange = new ArrayList<>();
        exchange.add(Turns.user(userPrompt));
        String system = prompt.systemPrompt();
        lastSystem = system;
        ModelReply reply = new ToolLoop(provider, system, tools, toolsByName, toolContext, heartbeat, followUps, usage)
                .run(history, exchange);
        lastContextTokens = contextTokens(reply.usage());
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

    /**
     * Compacts when the last request's context passed the window. A failed compaction is logged and the
     * conversation goes on as it was (the next turn tries again).
     *
     * @return the notice to tell the user, when it compacted
     */
    public Optional<String> compactIfNeeded() {
        if (lastContextTokens <= compaction.window() || history.size() == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(compactNow());
        } catch (ProviderException | SQLException e) {
            Log.warn("agent", "compaction failed, the conversation goes on uncompacted: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Compacts now ({@code /compact}); throws when there is nothing to compact or the summary fails. */
    public String compactNow() throws ProviderException, SQLException {
        if (history.size() == 0) {
            throw new ProviderException("there is no conversation to compact yet");
        }
        String system = lastSystem != null ? lastSystem : prompt.systemPrompt();
        String notice = compactor.compact(history, system, tools, prompt.destinationNames(), lastContextTokens);
        lastContextTokens = 0;
        usage.reset();
        return notice;
    }

    /** /clear: a new conversation, whose id replaces the continuation at once. */
    public void clear() throws SQLException {
        history.startNew();
        lastContextTokens = 0;
        usage.reset();
    }

    /** /context: how full the context is. */
    public String contextReport() {
        long w = compaction.window();
        return String.format(java.util.Locale.ROOT, "Context: about %,d tokens after the last answer, of the %,d that "
                        + "trigger compaction (%d%%); %d turns in this conversation.", lastContextTokens, w,
                w == 0 ? 0 : lastContextTokens * 100 / w, history.size());
    }

    /** /cost: what this conversation used since the container started (the host records every call's cost). */
    public String costReport() {
        return "This conversation, since the agent's container started: " + usage.describe() + ".";
    }

    /** The context a request carried: input plus what was read from and written to the cache. */
    static long contextTokens(TokenUsage u) {
        if (u == null) {
            return 0;
        }
        return u.inputTokens() + u.cacheReadInputTokens() + u.cacheCreationInputTokens() + u.outputTokens();
    }
}
