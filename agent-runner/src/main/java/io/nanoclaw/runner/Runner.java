package io.nanoclaw.runner;

import io.nanoclaw.protocol.ContainerEnv;
import io.nanoclaw.runner.agent.AgentSession;
import io.nanoclaw.runner.agent.ModelSummarizer;
import io.nanoclaw.runner.agent.TaskTool;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.prompt.SkillIndexEntry;
import io.nanoclaw.runner.skills.SkillCatalog;
import io.nanoclaw.runner.tools.mcp.McpServers;
import io.nanoclaw.runner.tools.mcp.McpTimeouts;
import io.nanoclaw.runner.agent.CompactionSettings;
import io.nanoclaw.runner.dispatch.DestinationDispatcher;
import io.nanoclaw.runner.loop.CurrentBatch;
import io.nanoclaw.runner.loop.PreTaskScripts;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.nanoclaw.NanoclawToolEnv;
import io.nanoclaw.runner.tools.nanoclaw.NanoclawTools;
import io.nanoclaw.runner.loop.TaskScriptRunner;
import io.nanoclaw.runner.prompt.SystemPromptComposer;
import io.nanoclaw.runner.store.Destination;
import java.time.Clock;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.config.RunnerEnvironment;
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
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.builtin.BuiltinTools;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Wires the runner's parts for one session: two DB connections, the agent, and the poll loop. */
public final class Runner implements AutoCloseable {
    private final InboundStore inbound;
    private final OutboundStore outbound;
    private final PollLoop loop;
    private final NanoclawToolEnv toolEnv;
    private final McpServers mcp;

    private Runner(InboundStore inbound, OutboundStore outbound, PollLoop loop, NanoclawToolEnv toolEnv,
                   McpServers mcp) {
        this.toolEnv = toolEnv;
        this.mcp = mcp;
        this.inbound = inbound;
        this.outbound = outbound;
        this.loop = loop;
    }

    public static Runner open(RunnerEnvironment env, RunnerConfig config, RunnerOptions options)
            throws SQLException {
        InboundStore inbound = InboundStore.open(env.inboundDb());
        OutboundStore outbound = null;
        NanoclawToolEnv toolEnv = null;
        McpServers mcp = McpServers.none();
        try {
            outbound = OutboundStore.open(env.outboundDb(), env.journalMode());
            Heartbeat heartbeat = new Heartbeat(env.heartbeatFile());
            ModelProvider provider = options.provider() != null
                    ? options.provider()
                    : ProviderFactory.create(config, env, options.retry(), options.sleeper(), heartbeat::pulse);
            ContinuationSlot slot = new ContinuationSlot(outbound, provider.name());
            slot.migrateLegacy();
            ConversationHistory history = ConversationHistory.resume(env.stateDir(), slot);
            ToolContext tools = toolContext(env, outbound, heartbeat);
            SkillCatalog skills = SkillCatalog.scan(SkillCatalog.defaultRoots(tools.workingDir(), home()));
            List<SkillIndexEntry> skillIndex = skills.skills().stream()
                    .map(s -> new SkillIndexEntry(s.name(), s.description())).toList();
            SystemPromptComposer composer = new SystemPromptComposer(tools.workingDir(),
                    env.workspace().resolve("extra"), home(), config.assistantName(), () -> skillIndex);
            CurrentBatch current = new CurrentBatch();
            toolEnv = NanoclawToolEnv.open(env, outbound, current);
            mcp = startMcpServers(config, env);
            // Fixed order, for the prompt cache: built-ins, our own tools, then the group's MCP servers.
            List<Tool> builtins = BuiltinTools.all(skills, new ModelSummarizer(provider), todoFile(env));
            List<Tool> workTools = new ArrayList<>(builtins);
            workTools.addAll(mcp.tools());
            List<Tool> toolList = new ArrayList<>(builtins);
            toolList.add(new TaskTool(provider, () -> workTools, heartbeat::pulse));
            toolList.addAll(NanoclawTools.all(toolEnv));
            toolList.addAll(mcp.tools());
            Log.info("runner", toolList.size() + " tools (" + mcp.tools().size() + " from MCP servers), "
                    + skillIndex.size() + " skill(s)");
            AgentSession agent = new AgentSession(provider, promptSource(composer, inbound), history,
                    toolList, tools, heartbeat::pulse, CompactionSettings.fromEnv(System.getenv()),
                    config.assistantName(), Clock.system(env.zone()));
            PendingSelector selector = new PendingSelector(inbound, outbound, config.maxMessagesPerPrompt());
            PreTaskScripts scripts = new PreTaskScripts(TaskScriptRunner.standard(tools.workingDir()), outbound,
                    heartbeat);
            BatchProcessor processor = new BatchProcessor(outbound, inbound,
                    new MessageFormatter(env.zone(), inbound), agent, DestinationDispatcher.over(inbound), heartbeat,
                    scripts, selector, current, tools.workingDir());
            PollLoop loop = new PollLoop(inbound, selector, processor, new PollPacer(System::nanoTime));
            return new Runner(inbound, outbound, loop, toolEnv, mcp);
        } catch (SQLException | RuntimeException e) {
            mcp.close();
            if (toolEnv != null) {
                toolEnv.close();
            }
            if (outbound != null) {
                outbound.close();
            }
            inbound.close();
            throw e;
        }
    }

    /**
     * Tools work in the agent's folder and may touch only the session workspace, the temp folder and the home
     * folder (in a container: /workspace, /tmp, /home/agent; everything else is read-only or not there).
     */
    static ToolContext toolContext(RunnerEnvironment env, OutboundStore outbound, Heartbeat heartbeat) {
        List<Path> roots = new ArrayList<>();
        roots.add(env.workspace());
        roots.add(Path.of(System.getProperty("java.io.tmpdir")));
        String home = System.getenv("HOME");
        if (home != null && !home.isBlank() && !home.equals("/")) {
            roots.add(Path.of(home));
        }
        return new ToolContext(env.workspace().resolve("agent"), roots, new ToolLiveness(outbound, heartbeat));
    }

    /** The system prompt from the files and the destinations as they are now (read on the loop thread). */
    private static AgentSession.PromptSource promptSource(SystemPromptComposer composer, InboundStore inbound) {
        return new AgentSession.PromptSource() {
            @Override
            public String systemPrompt() {
                return composer.compose(destinations());
            }

            @Override
            public List<String> destinationNames() {
                return destinations().stream().map(Destination::name).toList();
            }

            private List<Destination> destinations() {
                try {
                    return inbound.destinations();
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot read the destinations: " + e.getMessage(), e);
                }
            }
        };
    }

    private static McpServers startMcpServers(RunnerConfig config, RunnerEnvironment env) {
        try {
            return McpServers.discover(config.mcpServers(), env.workspace().resolve("agent"), McpTimeouts.defaults());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return McpServers.none();
        }
    }

    /** TodoWrite's list, one file per session: the state folder is shared by every session of the group. */
    private static Path todoFile(RunnerEnvironment env) {
        String session = System.getenv(ContainerEnv.SESSION_ID);
        return env.stateDir().resolve(session == null || session.isBlank()
                ? "todos.json"
                : "todos-" + session.replaceAll("[^A-Za-z0-9_.-]", "_") + ".json");
    }

    private static Path home() {
        String home = System.getenv("HOME");
        return home == null || home.isBlank() ? null : Path.of(home);
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
        toolEnv.close();
        outbound.close();
        inbound.close();
    }
}
