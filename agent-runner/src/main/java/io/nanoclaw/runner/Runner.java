package io.nanoclaw.runner;

import io.nanoclaw.protocol.ContainerEnv;
import io.nanoclaw.runner.agent.AgentSession;
import io.nanoclaw.runner.agent.SystemPrompt;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.config.RunnerEnvironment;
import io.nanoclaw.runner.dispatch.DirectReplyDispatcher;
import io.nanoclaw.runner.format.MessageFormatter;
import io.nanoclaw.runner.history.ContinuationSlot;
import io.nanoclaw.runner.history.ConversationHistory;
import io.nanoclaw.runner.liveness.Heartbeat;
import io.nanoclaw.runner.loop.BatchProcessor;
import io.nanoclaw.runner.loop.PendingSelector;
import io.nanoclaw.runner.loop.PollLoop;
import io.nanoclaw.runner.loop.PollPacer;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ProviderFactory;
import io.nanoclaw.runner.store.InboundStore;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.liveness.ToolLiveness;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.skills.SkillCatalog;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.builtin.BuiltinTools;
import io.nanoclaw.runner.tools.mcp.McpServers;
import io.nanoclaw.runner.tools.mcp.McpTimeouts;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Wires the runner's parts for one session: two DB connections, the agent, and the poll loop. */
public final class Runner implements AutoCloseable {
    private final InboundStore inbound;
    private final OutboundStore outbound;
    private final PollLoop loop;
    private final McpServers mcp;

    private Runner(InboundStore inbound, OutboundStore outbound, PollLoop loop, McpServers mcp) {
        this.inbound = inbound;
        this.outbound = outbound;
        this.loop = loop;
        this.mcp = mcp;
    }

    public static Runner open(RunnerEnvironment env, RunnerConfig config, RunnerOptions options)
            throws SQLException {
        InboundStore inbound = InboundStore.open(env.inboundDb());
        OutboundStore outbound = null;
        McpServers mcp = McpServers.none();
        try {
            outbound = OutboundStore.open(env.outboundDb(), env.journalMode());
            Heartbeat heartbeat = new Heartbeat(env.heartbeatFile());
            ModelProvider provider = options.provider() != null
                    ? options.provider()
                    : ProviderFactory.create(config, env, options.retry(), options.sleeper(), heartbeat::pulse);
            ConversationHistory history = ConversationHistory.resume(env.stateDir(),
                    new ContinuationSlot(outbound, provider.name()));
            mcp = startMcpServers(config, env);
            AgentSession agent = new AgentSession(provider, SystemPrompt.build(config), history,
                    tools(env, mcp), toolContext(env, outbound, heartbeat), heartbeat::pulse);
            BatchProcessor processor = new BatchProcessor(outbound, inbound,
                    new MessageFormatter(env.zone(), inbound), agent, new DirectReplyDispatcher(), heartbeat,
                    inbound::sessionRouting);
            PollLoop loop = new PollLoop(inbound,
                    new PendingSelector(inbound, outbound, config.maxMessagesPerPrompt()), processor,
                    new PollPacer(System::nanoTime));
            return new Runner(inbound, outbound, loop, mcp);
        } catch (SQLException | RuntimeException e) {
            mcp.close();
            if (outbound != null) {
                outbound.close();
            }
            inbound.close();
            throw e;
        }
    }

    /**
     * The tools in a fixed order (the list is part of the cached prompt prefix): the built-in ones, then the MCP
     * servers' tools. The todo list file is per session: sessions of one agent group share the state folder.
     */
    static List<Tool> tools(RunnerEnvironment env, McpServers mcp) {
        Path agentDir = env.workspace().resolve("agent");
        SkillCatalog skills = SkillCatalog.scan(SkillCatalog.defaultRoots(agentDir, home()));
        Log.info("runner", skills.skills().size() + " skill(s), " + mcp.tools().size() + " MCP tool(s)");
        String session = System.getenv(ContainerEnv.SESSION_ID);
        Path todoFile = env.stateDir().resolve(session == null || session.isBlank()
                ? "todos.json"
                : "todos-" + session.replaceAll("[^A-Za-z0-9_.-]", "_") + ".json");
        List<Tool> tools = new ArrayList<>(BuiltinTools.all(skills, null, todoFile));
        tools.addAll(mcp.tools());
        return tools;
    }

    /** Servers that fail are logged and left out; an interrupted start leaves them all out. */
    private static McpServers startMcpServers(RunnerConfig config, RunnerEnvironment env) {
        try {
            return McpServers.discover(config.mcpServers(), env.workspace().resolve("agent"), McpTimeouts.defaults());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return McpServers.none();
        }
    }

    private static Path home() {
        String home = System.getenv("HOME");
        return home == null || home.isBlank() || home.equals("/") ? null : Path.of(home);
    }

    /**
     * Tools work in the agent's folder and may touch only the session workspace, the temp folder and the home
     * folder (in a container: /workspace, /tmp, /home/agent; everything else is read-only or not there).
     */
    static ToolContext toolContext(RunnerEnvironment env, OutboundStore outbound, Heartbeat heartbeat) {
        List<Path> roots = new ArrayList<>();
        roots.add(env.workspace());
        roots.add(Path.of(System.getProperty("java.io.tmpdir")));
        Path home = home();
        if (home != null) {
            roots.add(home);
        }
        return new ToolContext(env.workspace().resolve("agent"), roots, new ToolLiveness(outbound, heartbeat));
    }

    /** Startup crash recovery: rows a previous run claimed but never finished get picked up again. */
    public int recoverCrashedBatches() throws SQLException {
        return outbound.deleteProcessingAcks();
    }

    public PollLoop loop() {
        return loop;
    }

    /** SIGTERM: stop polling and wait for the outbound write in flight; a model call in flight is abandoned. */
    public void shutdown() {
        loop.stop();
        outbound.closeForShutdown();
        mcp.close();
    }

    @Override
    public void close() throws SQLException {
        loop.stop();
        mcp.close();
        outbound.close();
        inbound.close();
    }
}
