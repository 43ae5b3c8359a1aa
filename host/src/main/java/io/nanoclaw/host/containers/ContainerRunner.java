package io.nanoclaw.host.containers;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.credentials.ProxyTokens;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.routing.SessionWaker.Wake;
import io.nanoclaw.host.sessions.DestinationProjection;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.protocol.ContainerEnv;
import io.nanoclaw.protocol.SessionFiles;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Wakes session containers (host.md 5.1-5.2). A wake never throws: true when the container runs (already, or now),
 * false when it could not start or waits for a slot. Two wakes of one session join the same spawn, so one message
 * never starts two containers.
 *
 * <p>At most MAX_CONCURRENT_CONTAINERS run at once ({@link ContainerSlots}). A wake beyond the cap returns at once
 * (queued, never blocking the router) and the session starts when a slot frees, in the order sessions were first
 * queued; by then it may have nothing left to do, and then it gives its slot to the next one.
 */
@Singleton
public class ContainerRunner implements io.nanoclaw.host.routing.SessionWaker {
    private static final Logger LOG = Logger.getLogger(ContainerRunner.class);
    static final long DEFAULT_MEMORY_MB = 1024;
    static final double DEFAULT_CPUS = 1.0;
    static final long DEFAULT_PIDS = 256;

    @Inject
    HostConfig config;
    @Inject
    ContainerRuntime runtime;
    @Inject
    InstallId installId;
    @Inject
    AgentGroups agentGroups;
    @Inject
    Sessions sessions;
    @Inject
    SessionFolders folders;
    @Inject
    DestinationProjection projection;
    @Inject
    ContainerConfigFile configFile;
    @Inject
    ProxyTokens tokens;
    @Inject
    io.nanoclaw.host.typing.TypingIndicators typing;
    @Inject
    io.nanoclaw.host.containers.mounts.ExtraMounts extraMounts;
    @Inject
    ContainerSlots slots;
    @Inject
    MemoryLimitKills memoryKills;
    @Inject
    io.nanoclaw.host.delivery.OutboundReader reader;
    @Inject
    jakarta.enterprise.event.Event<QueuedStart> queuedStarts;

    /** Completes once the engine check and orphan cleanup of this start are done; spawns wait for it. */
    private final CompletableFuture<Void> prepared = new CompletableFuture<>();

    /** The outcome of a queued turn that found nothing to do (compared by identity). */
    private static final Wake LEFT_QUEUE = Wake.failed("left the queue with nothing to do");

    /** Running containers by session id. */
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Wake>> spawning = new ConcurrentHashMap<>();
    /** Why the last start of a session failed, for the notice to the user. */
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    @Override
    public boolean isRunning(String sessionId) {
        return running.containsKey(sessionId);
    }

    public Optional<String> containerOf(String sessionId) {
        return Optional.ofNullable(running.get(sessionId));
    }

    public int runningCount() {
        return running.size();
    }

    @jakarta.annotation.PostConstruct
    void takeQueuedTurns() {
        slots.onTurn(this::startQueued);
    }

    @Override
    public boolean wake(Session s) {
        return wakeOrQueue(s).running();
    }

    @Override
    public Wake wakeOrQueue(Session s) {
        if (running.containsKey(s.id())) {
            return Wake.RUNNING;
        }
        if (!config.containersEnabled()) {
            return Wake.failed("agent containers are turned off (NANOCLAW_CONTAINERS=false)");
        }
        prepared.join();
        return startOrJoin(s, false);
    }

    /**
     * One spawn per session at a time: a second caller waits for the first one's outcome and shares it. A wake
     * that joined a queued turn which found nothing to do asks again: it brings work of its own. So does a queued
     * turn that joined a wake which was queued just before the turn came: the slot is the session's now.
     */
    private Wake startOrJoin(Session s, boolean queuedTurn) {
        while (true) {
            CompletableFuture<Wake> mine = new CompletableFuture<>();
            CompletableFuture<Wake> existing = spawning.putIfAbsent(s.id(), mine);
            if (existing != null) {
                Wake w = existing.join();
                if (queuedTurn ? w.queued() : w == LEFT_QUEUE) {
                    continue;
                }
                return w;
            }
            Wake result = Wake.failed("unknown error");
            try {
                result = queuedTurn ? turn(s) : start(s);
                return result;
            } finally {
                // Removed first: a caller arriving now starts afresh from the state this outcome left behind.
                spawning.remove(s.id(), mine);
                mine.complete(result);
            }
        }
    }

    private Wake start(Session s) {
        if (running.containsKey(s.id())) {
            return Wake.RUNNING;
        }
        ContainerSlots.Grant grant = slots.request(s);
        if (grant.kind() == ContainerSlots.Kind.QUEUED) {
            return Wake.queued(grant.ahead(), grant.newlyQueued());
        }
        // GRANTED, or HELD with no container running: a queued turn reserved the slot for this session, and only
        // the holder of its spawn (us) starts it.
        try {
            spawn(s);
            failures.remove(s.id());
            return Wake.RUNNING;
        } catch (RuntimeException e) {
            LOG.errorf("session %s: container start failed: %s", s.id(), e.getMessage());
            String why = describe(e);
            failures.put(s.id(), why);
            if (!running.containsKey(s.id())) {
                slots.release(s.id());
            }
            return Wake.failed(why);
        }
    }

    /** A queued session reached the head of the queue and holds a slot now (called on a queue thread). */
    private void startQueued(Session queued) {
        Session s = sessions.byId(queued.id()).orElse(queued);
        Wake w = startOrJoin(s, true);
        if (w.running()) {
            queuedStarts.fire(new QueuedStart(s));
        } else if (w != LEFT_QUEUE) {
            LOG.warnf("session %s: its queued start failed (%s); the sweep retries", s.id(), w.failure());
        }
    }

    /**
     * Started only if the session is still active and still has due work (it may have been closed, or its messages
     * handled, while it waited); else the slot goes straight to the next in line. Runs holding the session's spawn,
     * so no wake can be using the slot meanwhile.
     */
    private Wake turn(Session s) {
        if (running.containsKey(s.id())) {
            return Wake.RUNNING; // a wake of its own got there first, with the slot the queue gave it
        }
        boolean wanted;
        try {
            wanted = "active".equals(s.status()) && config.containersEnabled() && reader.owed(s) > 0;
        } catch (RuntimeException e) {
            LOG.warnf("session %s: cannot tell whether it still has work (%s); starting it", s.id(), e.getMessage());
            wanted = true;
        }
        if (!wanted) {
            LOG.infof("session %s: left the container queue, nothing left for it to do", s.id());
            slots.release(s.id());
            return LEFT_QUEUE;
        }
        return start(s);
    }

    @Override
    public Optional<String> lastFailure(String sessionId) {
        return Optional.ofNullable(failures.get(sessionId));
    }

    /** A one-line reason fit for the user: docker-java's messages carry JSON and stack noise. */
    static String describe(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof com.github.dockerjava.api.exception.NotFoundException && m.contains("image")) {
            return "the agent image is missing: run ./nanoclaw setup";
        }
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    private boolean spawn(Session s) {
        AgentGroup g = agentGroups.byId(s.agentGroupId())
                .orElseThrow(() -> new IllegalStateException("agent group " + s.agentGroupId() + " is gone"));
        projection.project(s);
        ContainerConfigFile.Settings settings = configFile.settings(g);
        Path groupDir = config.groupsDir().resolve(g.folder());
        Path configPath;
        try {
            Files.createDirectories(groupDir);
            folders.giveToContainer(groupDir);
            try {
                // O_CREAT|O_EXCL: never follows a symlink the agent may have left in its folder.
                Files.createFile(groupDir.resolve("CLAUDE.local.md"));
            } catch (java.nio.file.FileAlreadyExistsException exists) {
                // the agent's memory is there already
            }
            configPath = configFile.write(g, config.dataDir().resolve("container-config"), settings,
                    config.assistantName());
            Files.deleteIfExists(folders.heartbeat(s.agentGroupId(), s.id()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + groupDir + ": " + e.getMessage(), e);
        }
        String token = tokens.issue(s.id(), s.agentGroupId());
        ContainerSpec spec = spec(s, g, settings, groupDir, configPath, token);
        String id;
        try {
            id = runtime.start(spec);
        } catch (RuntimeException e) {
            tokens.revoke(s.id());
            throw e;
        }
        running.put(s.id(), id);
        sessions.setContainerStatus(s.id(), "running");
        LOG.infof("session %s: container %s started", s.id(), spec.name());
        long memoryMb = spec.memoryBytes() / (1024 * 1024);
        runtime.onExit(id, (code, oom) -> exited(s, id, memoryMb, code, oom));
        return true;
    }

    /**
     * Everything is settled while the session still counts as running, so no wake can start a new container (whose
     * token the revoke would cancel, or whose runner would drop the claims read here) and the sweep leaves its
     * claims alone; then the slot goes to the next in line and the session counts as stopped. The user hears of a
     * memory-limit kill only then, so an answer to that notice starts a fresh container.
     */
    private void exited(Session s, String containerId, long memoryMb, int code, boolean oom) {
        List<MemoryLimitKills.Lost> lost = List.of();
        try {
            tokens.revoke(s.id());
            typing.stop(s.id());
            sessions.setContainerStatus(s.id(), "stopped");
            if (oom) {
                lost = memoryKills.settle(s, memoryMb, code);
            } else {
                LOG.infof("session %s: container exited (%d)", s.id(), code);
            }
        } catch (RuntimeException e) {
            // At shutdown the central DB may close before the engine reports the last exits.
            LOG.warnf("session %s: cleaning up after its container failed: %s", s.id(), e.getMessage());
        } finally {
            slots.release(s.id());
            running.remove(s.id(), containerId);
        }
        memoryKills.tellUser(s, lost, memoryMb);
    }

    ContainerSpec spec(Session s, AgentGroup g, ContainerConfigFile.Settings settings, Path groupDir,
                       Path configPath, String token) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ContainerEnv.TZ, config.timeZone().getId());
        String proxy = "http://" + config.proxyHostForContainers() + ":" + config.proxyPort();
        env.put(ContainerEnv.ANTHROPIC_BASE_URL, proxy);
        env.put(ContainerEnv.OPENAI_BASE_URL, proxy + "/openai/v1");
        env.put(ContainerEnv.PROXY_TOKEN, token);
        env.put(ContainerEnv.JOURNAL_MODE, config.journalMode().name());
        env.put(ContainerEnv.SESSION_ID, s.id());
        env.put(ContainerEnv.AGENT_GROUP_ID, g.id());
        env.put("HOME", SessionFiles.CONTAINER_HOME);
        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        mounts.add(new ContainerSpec.Mount(folders.sessionDir(s.agentGroupId(), s.id()).toString(),
                SessionFiles.CONTAINER_WORKSPACE, false));
        mounts.add(new ContainerSpec.Mount(groupDir.toString(), SessionFiles.CONTAINER_AGENT_DIR, false));
        mounts.add(new ContainerSpec.Mount(configPath.toString(), SessionFiles.CONTAINER_CONFIG, true));
        mounts.add(new ContainerSpec.Mount(folders.agentStateDir(s.agentGroupId()).toString(),
                SessionFiles.CONTAINER_STATE_DIR, false));
        mounts.addAll(extraMounts.forGroup(g)); // allowlisted extras at /workspace/extra/<name> (host.md 5.6)
        Map<String, String> labels = Map.of(InstallId.LABEL, installId.value(), "nanoclaw-session", s.id(),
                "nanoclaw-agent-group", g.id());
        String image = settings.imageTag() != null ? settings.imageTag() : config.containerImage();
        long memMb = settings.memoryMb() != null ? settings.memoryMb() : DEFAULT_MEMORY_MB;
        double cpus = settings.cpus() != null ? settings.cpus() : DEFAULT_CPUS;
        long pids = settings.pidsLimit() != null ? settings.pidsLimit() : DEFAULT_PIDS;
        String name = "nanoclaw-" + g.folder() + "-" + System.currentTimeMillis();
        return new ContainerSpec(name, image, env, mounts, labels, memMb * 1024 * 1024, cpus, pids,
                config.containerUid());
    }

    /** Stops a session's container (SIGTERM, then kill after the grace). */
    public void stop(String sessionId) {
        String id = running.get(sessionId);
        if (id != null) {
            runtime.stop(id, 2);
        }
    }

    /** Stops every container of this install, in parallel; used at shutdown. */
    public void stopAll() {
        slots.close();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String id : running.values()) {
            all.add(CompletableFuture.runAsync(() -> runtime.stop(id, 2)));
        }
        all.forEach(CompletableFuture::join);
    }

    /**
     * Checks the engine and the image and removes this install's leftover containers, off the start-up path (docker
     * -java's first use costs about half a second). Wakes wait for it, so no orphan cleanup can race a new spawn.
     */
    public void prepareInBackground() {
        Thread t = new Thread(() -> {
            try {
                LOG.infof("container engine: %s", runtime.ping());
                int orphans = removeOrphans();
                if (orphans > 0) {
                    LOG.infof("removed %d container(s) this install left behind", orphans);
                }
                if (!runtime.imageExists(config.containerImage())) {
                    LOG.warnf("agent image %s is missing: run ./nanoclaw setup", config.containerImage());
                }
            } catch (RuntimeException e) {
                LOG.errorf("no container engine answers (%s): agents can't run until it does; "
                        + "./nanoclaw starts one when allowed", e.getMessage());
            } finally {
                prepared.complete(null);
            }
        }, "container-prepare");
        t.setDaemon(true);
        t.start();
    }

    /** Removes containers this install left behind (a crash, a kill -9); other installs' are never touched. */
    public int removeOrphans() {
        int n = 0;
        for (var c : runtime.listByLabel(InstallId.LABEL, installId.value())) {
            if (!running.containsValue(c.getId())) {
                runtime.remove(c.getId());
                n++;
            }
        }
        return n;
    }
}
