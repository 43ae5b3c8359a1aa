package io.nanoclaw.host.agents;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.host.containers.images.AgentGroupImages;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.sessions.DestinationProjection;
import io.nanoclaw.host.sessions.SessionDbs;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes an agent group and what hangs on it: its containers are stopped, its rows go (wirings, sessions,
 * destinations, config, members and scoped roles; other groups' destinations that point at it, re-projected into
 * their sessions), its session folders, container.json and images are removed. Its workspace folder (memory and
 * files the agent made) is moved to {@code data/deleted-groups/}, not destroyed: an operator's typo must not cost an
 * agent's memory.
 */
@Singleton
public class AgentGroupDeleter {
    private static final Logger LOG = Logger.getLogger(AgentGroupDeleter.class);

    @Inject
    Db db;
    @Inject
    HostConfig config;
    @Inject
    AgentGroups agentGroups;
    @Inject
    ContainerRunner containers;
    @Inject
    SessionDbs sessionDbs;
    @Inject
    DestinationProjection projection;
    @Inject
    AgentGroupImages images;

    /** What was removed. {@code archivedFolder} is where the workspace went, or null when there was none. */
    public record Deleted(AgentGroup group, int sessions, int containersStopped, List<String> reprojectedGroups,
                          String archivedFolder) {}

    public Deleted delete(String agentGroupId) {
        AgentGroup g = agentGroups.byId(agentGroupId)
                .orElseThrow(() -> new IllegalArgumentException("no agent group '" + agentGroupId + "'"));
        List<String> sessionIds = db.query("SELECT id FROM sessions WHERE agent_group_id = ?", rs -> rs.getString(1),
                g.id());
        int stopped = 0;
        for (String s : sessionIds) {
            if (containers.isRunning(s)) {
                containers.stop(s);
                stopped++;
            }
            sessionDbs.close(s);
        }
        List<String> pointing = db.query("SELECT DISTINCT agent_group_id FROM agent_destinations "
                + "WHERE target_type = 'agent' AND target_id = ? AND agent_group_id <> ?", rs -> rs.getString(1),
                g.id(), g.id());
        db.inTransaction(c -> {
            Db.exec(c, "DELETE FROM agent_destinations WHERE target_type = 'agent' AND target_id = ?", g.id());
            Db.exec(c, "DELETE FROM user_roles WHERE agent_group_id = ?", g.id());
            Db.exec(c, "DELETE FROM agent_groups WHERE id = ?", g.id()); // the rest cascades
            return null;
        });
        pointing.forEach(projection::reproject);
        removeTree(config.sessionsDir().resolve(g.id()));
        try {
            Files.deleteIfExists(config.dataDir().resolve("container-config").resolve(g.id() + ".json"));
        } catch (IOException e) {
            LOG.warnf("agent group %s: container.json not removed: %s", g.id(), e.getMessage());
        }
        if (config.containersEnabled()) {
            try {
                images.removeAll(g.id());
            } catch (RuntimeException e) {
                LOG.warnf("agent group %s: its images were not removed (the janitor retries): %s", g.id(),
                        e.getMessage());
            }
        }
        String archived = archive(g);
        LOG.infof("agent group %s (%s) deleted: %d session(s), %d container(s) stopped%s", g.id(), g.name(),
                sessionIds.size(), stopped, archived == null ? "" : ", folder moved to " + archived);
        return new Deleted(g, sessionIds.size(), stopped, pointing, archived);
    }

    private String archive(AgentGroup g) {
        Path dir = config.groupsDir().resolve(g.folder());
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path target = config.dataDir().resolve("deleted-groups").resolve(g.folder() + "-" + System.currentTimeMillis());
        try {
            Files.createDirectories(target.getParent());
            Files.move(dir, target);
            return config.home().relativize(target).toString();
        } catch (IOException e) {
            LOG.warnf("agent group %s: folder %s not moved: %s", g.id(), dir, e.getMessage());
            return null;
        }
    }

    /** Deletes a folder tree without following links (a link planted by an agent is removed, not its target). */
    static void removeTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warnf("could not remove %s completely: %s", root, e.getMessage());
        }
    }
}
