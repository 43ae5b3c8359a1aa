package io.nanoclaw.host.entities;

import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

@Singleton
public class AgentGroups {
    /** Folder names become paths and container names: a strict shape, and never the reserved `global`. */
    public static final Pattern FOLDER = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");

    @Inject
    Db db;

    public static void validateFolder(String folder) {
        if (folder == null || !FOLDER.matcher(folder).matches() || folder.equalsIgnoreCase("global")) {
            throw new IllegalArgumentException("invalid agent group folder '" + folder
                    + "': letters, digits, _ and - only, at most 64, not 'global'");
        }
    }

    /** Creates the group and its container config row together (a spawn needs both). */
    public AgentGroup create(Connection c, String name, String folder) throws SQLException {
        validateFolder(folder);
        AgentGroup g = new AgentGroup(Ids.agentGroup(), name, folder, Now.iso());
        Db.exec(c, "INSERT INTO agent_groups(id, name, folder, created_at) VALUES (?, ?, ?, ?)",
                g.id(), g.name(), g.folder(), g.createdAt());
        Db.exec(c, "INSERT INTO container_configs(agent_group_id, assistant_name, updated_at) VALUES (?, ?, ?)",
                g.id(), name, g.createdAt());
        return g;
    }

    public Optional<AgentGroup> byId(String id) {
        return db.one("SELECT id, name, folder, created_at FROM agent_groups WHERE id = ?",
                rs -> new AgentGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), id);
    }

    public List<AgentGroup> list() {
        return db.query("SELECT id, name, folder, created_at FROM agent_groups ORDER BY created_at",
                rs -> new AgentGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
    }

    public boolean any() {
        return db.one("SELECT 1 FROM agent_groups LIMIT 1", rs -> 1).isPresent();
    }
}
