package io.nanoclaw.host.containers.mounts;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.ContainerSpec;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The extra mounts of an agent group's container: container_configs.additional_mounts, checked against the mount
 * allowlist at every start. Never fails a start: whatever is refused is logged (WARN, with group, path and reason),
 * kept in {@link MountRejections}, and left out.
 */
@Singleton
public class ExtraMounts {
    private static final Logger LOG = Logger.getLogger(ExtraMounts.class);

    private final Db db;
    private final MountRejections rejections;
    private final AllowlistFile allowlist;
    private final MountValidator validator;

    @Inject
    public ExtraMounts(HostConfig config, Db db, MountRejections rejections) {
        this.db = db;
        this.rejections = rejections;
        Path userHome = Path.of(System.getProperty("user.home"));
        this.allowlist = new AllowlistFile(config.mountAllowlist(), config.home(), userHome);
        this.validator = new MountValidator(userHome, protectedFolders(config, allowlist.path(), userHome));
    }

    /** Folders no extra mount may lie in or contain, whatever the allowlist's roots say. */
    static List<ProtectedFolder> protectedFolders(HostConfig config, Path allowlistFile, Path userHome) {
        List<ProtectedFolder> out = new ArrayList<>();
        for (Path p : ProjectFolder.find()) {
            out.add(new ProtectedFolder(p, "the NanoClaw project folder"));
        }
        out.add(new ProtectedFolder(config.home(), "the install home"));
        out.add(new ProtectedFolder(config.dataDir(), "the install's data folder"));
        out.add(new ProtectedFolder(config.groupsDir(), "the agent groups folder"));
        out.add(new ProtectedFolder(allowlistFile.getParent(), "the folder of the mount allowlist"));
        // A writable mount of either runs code on the host (upstream PR #3129).
        out.add(new ProtectedFolder(userHome.resolve(".config/nanoclaw"), "NanoClaw's config folder"));
        out.add(new ProtectedFolder(userHome.resolve(".local/bin"), "~/.local/bin"));
        return out;
    }

    /** The binds to add for this group; empty when it asks for none or none pass. */
    public List<ContainerSpec.Mount> forGroup(AgentGroup g) {
        List<MountRejection> rejected = new ArrayList<>();
        List<ContainerSpec.Mount> accepted = new ArrayList<>();
        try {
            String stored = db.one("SELECT additional_mounts FROM container_configs WHERE agent_group_id = ?",
                    rs -> rs.getString(1), g.id()).orElse(null);
            RequestedMounts.Parsed requested = RequestedMounts.parse(stored);
            rejected.addAll(requested.rejected());
            // The allowlist is only looked at when there is something to check, so groups without extras never
            // log its absence.
            if (!requested.mounts().isEmpty()) {
                AllowlistFile.State state = allowlist.current();
                if (!state.ok()) {
                    for (RequestedMount m : requested.mounts()) {
                        rejected.add(new MountRejection(m.hostPath(), m.containerPath(), state.problem()));
                    }
                } else {
                    MountCheck check = validator.check(state.allowlist(), requested.mounts());
                    accepted.addAll(check.accepted());
                    rejected.addAll(check.rejected());
                    for (String p : check.downgraded()) {
                        LOG.warnf("agent group %s (%s): extra mount %s mounted read-only: it asks for read-write "
                                + "but its allowed root doesn't allow that", g.name(), g.id(), p);
                    }
                }
            }
        } catch (RuntimeException e) {
            accepted.clear();
            rejected.add(new MountRejection(null, null, "extra mounts could not be checked: " + e.getMessage()));
        }
        for (MountRejection r : rejected) {
            LOG.warnf("agent group %s (%s): extra mount %s refused: %s", g.name(), g.id(),
                    r.hostPath() == null ? "(no host path)" : r.hostPath(), r.reason());
        }
        rejections.record(g.id(), rejected);
        return accepted;
    }
}
