package io.nanoclaw.host.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.WaitResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** The container engine, through docker-java: start hardened containers, watch them exit, stop them. */
@Singleton
public class ContainerRuntime {
    private static final Logger LOG = Logger.getLogger(ContainerRuntime.class);
    /** Container names become API path segments: a strict shape. */
    static final Pattern SAFE_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$");

    @Inject
    DockerClientProvider docker;

    /** Fails with a clear message when no engine answers. */
    public String ping() {
        var v = docker.get().versionCmd().exec();
        podman = v.getComponents() != null && v.getComponents().stream()
                .anyMatch(c -> c.getName() != null && c.getName().toLowerCase(java.util.Locale.ROOT).contains("podman"));
        return (podman ? "Podman " : "Docker ") + v.getVersion();
    }

    /**
     * Podman (4.x, rootful, through its Docker-compatible socket) hands containers rlimits from its own service
     * process, which runc may not be allowed to set ("error setting rlimits ... operation not permitted"): with
     * explicit, moderate nofile/nproc limits the same containers start. Docker keeps its defaults.
     */
    private volatile boolean podman;

    static final long PODMAN_NOFILE = 8192;
    static final long PODMAN_NPROC = 4096;

    public boolean imageExists(String image) {
        try {
            docker.get().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Creates and starts a container; returns its id. */
    public String start(ContainerSpec spec) {
        if (!SAFE_NAME.matcher(spec.name()).matches()) {
            throw new IllegalArgumentException("unsafe container name: " + spec.name());
        }
        DockerClient c = docker.get();
        List<Bind> binds = new ArrayList<>();
        for (ContainerSpec.Mount m : spec.mounts()) {
            binds.add(new Bind(m.hostPath(), new Volume(m.containerPath()), m.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        com.github.dockerjava.api.model.HostConfig hc = com.github.dockerjava.api.model.HostConfig.newHostConfig()
                .withBinds(binds)
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of(
                        "/tmp", "rw,nosuid,nodev,noexec,size=256m",
                        "/home/agent", "rw,nosuid,nodev,size=128m,mode=1777"))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withPrivileged(false)
                .withMemory(spec.memoryBytes())
                .withMemorySwap(spec.memoryBytes())
                .withNanoCPUs((long) (spec.cpus() * 1_000_000_000L))
                .withPidsLimit(spec.pidsLimit())
                .withExtraHosts("host.docker.internal:host-gateway")
                .withNetworkMode("bridge");
        if (podman) {
            hc.withUlimits(List.of(new com.github.dockerjava.api.model.Ulimit("nofile", PODMAN_NOFILE, PODMAN_NOFILE),
                    new com.github.dockerjava.api.model.Ulimit("nproc", PODMAN_NPROC, PODMAN_NPROC)));
        }
        List<String> env = new ArrayList<>();
        spec.env().forEach((k, v) -> env.add(k + "=" + v));
        CreateContainerResponse created = c.createContainerCmd(spec.image())
                .withName(spec.name())
                .withEnv(env)
                .withLabels(spec.labels())
                .withUser(spec.uid() + ":" + spec.uid())
                .withHostConfig(hc)
                .exec();
        c.startContainerCmd(created.getId()).exec();
        return created.getId();
    }

    /**
     * Calls back once the container exits, with its exit code and whether the kernel killed it at its memory
     * limit; the container is removed afterwards.
     */
    public void onExit(String containerId, BiConsumer<Integer, Boolean> callback) {
        docker.get().waitContainerCmd(containerId).exec(new ResultCallback.Adapter<WaitResponse>() {
            private volatile Integer code;

            @Override
            public void onNext(WaitResponse r) {
                code = r.getStatusCode();
            }

            @Override
            public void onError(Throwable t) {
                finish();
            }

            @Override
            public void onComplete() {
                finish();
            }

            private void finish() {
                boolean oom = false;
                try {
                    InspectContainerResponse info = docker.get().inspectContainerCmd(containerId).exec();
                    oom = Boolean.TRUE.equals(info.getState().getOOMKilled());
                    if (code == null && info.getState().getExitCodeLong() != null) {
                        code = info.getState().getExitCodeLong().intValue();
                    }
                } catch (RuntimeException e) {
                    LOG.debugf("inspect after exit: %s", e.getMessage());
                }
                remove(containerId);
                callback.accept(code == null ? -1 : code, oom);
            }
        });
    }

    /** Asks the container to stop (SIGTERM, then SIGKILL after the grace period). */
    public void stop(String containerId, int graceSeconds) {
        try {
            docker.get().stopContainerCmd(containerId).withTimeout(graceSeconds).exec();
        } catch (NotFoundException | NotModifiedException e) {
            // already gone or already stopped
        } catch (RuntimeException e) {
            LOG.warnf("stop %s failed (%s), killing it", containerId, e.getMessage());
            try {
                docker.get().killContainerCmd(containerId).exec();
            } catch (RuntimeException ignored) {
                // it may have exited meanwhile
            }
        }
    }

    public void remove(String containerId) {
        try {
            docker.get().removeContainerCmd(containerId).withForce(true).exec();
        } catch (NotFoundException e) {
            // already removed
        } catch (RuntimeException e) {
            LOG.debugf("remove %s: %s", containerId, e.getMessage());
        }
    }

    /** Containers of this install (running or not), found by label only: other installs are never touched. */
    public List<Container> listByLabel(String label, String value) {
        return docker.get().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(label, value)).exec();
    }
}
