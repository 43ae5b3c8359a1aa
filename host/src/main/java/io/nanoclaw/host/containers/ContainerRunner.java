package io.nanoclaw.host.containers;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.credentials.ProxyTokens;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Session;
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
 * false when it could not start. Two wakes of one session join the same spawn, so one message never starts two
 * containers.
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

    /** Completes once the engine check and orphan cleanup of this start are done; spawns wait for it. */
    private final CompletableFuture<Void> prepared = new CompletableFuture<>();

    /** Running containers by session id. */
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Boolean>> spawning = new ConcurrentHashMap<>();
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

    @Override
    public boolean wake(Session s) {
        if (running.containsKey(s.id())) {
            return true;
        }
        if (!config.containersEnabled()) {
            return false;
        }
        prepared.join();
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> existing = spawning.putIfAbsent(s.id(), mine);
        if (existing != null) {
            return existing.join();
        }
        try {
            boolean ok = running.containsKey(s.id()) || spawn(s);
            failures.remove(s.id());
            mine.complete(ok);
            return ok;
        } catch (RuntimeException e) {
            LOG.errorf("session %s: container start failed: %s", s.id(), e.getMessage());
            failures.put(s.id(), describe(e));
            mine.complete(false);
            return false;
        } finally {
            spawning.remove(s.id());
        }
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
        runtime.onExit(id, (code, oom) -> exited(s, id, code, oom));
        return true;
    }

    private void exited(Session s, String containerId, int code, boolean oom) {
        running.remove(s.id(), containerId);
        tokens.revoke(s.id());
        typing.stop(s.id());
        sessions.setContainerStatus(s.id(), "stopped");
        if (oom) {
            LOG.warnf("session %s: container killed at its memory limit", s.id());
        } else {
            LOG.infof("session %s: container exited (%d)", s.id(), code);
        }
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
