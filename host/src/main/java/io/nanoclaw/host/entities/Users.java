package io.nanoclaw.host.entities;

import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;

/** Users, roles and memberships: who may reach which agent group. */
@Singleton
public class Users {
    @Inject
    Db db;

    /** `<channel>:<handle>`, or the handle itself when it already holds a colon. */
    public static String userId(String channelType, String handle) {
        if (handle == null || handle.isBlank()) {
            return null;
        }
        return handle.contains(":") ? handle : channelType + ":" + handle;
    }

    public void upsert(Connection c, String id, String kind, String displayName) throws SQLException {
        Db.exec(c, "INSERT INTO users(id, kind, display_name, created_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT(id) DO NOTHING", id, kind, displayName, Now.iso());
    }

    public void upsert(String id, String kind, String displayName) {
        db.update("INSERT INTO users(id, kind, display_name, created_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT(id) DO NOTHING", id, kind, displayName, Now.iso());
    }

    /** Owner is global only; admin may be global ('' group) or scoped. */
    public void grant(Connection c, String userId, String role, String agentGroupId, String grantedBy)
            throws SQLException {
        String scope = agentGroupId == null ? "" : agentGroupId;
        if (role.equals("owner") && !scope.isEmpty()) {
            throw new IllegalArgumentException("owner is a global role; it can't be scoped to an agent group");
        }
        Db.exec(c, "INSERT INTO user_roles(user_id, role, agent_group_id, granted_by, granted_at) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", userId, role, scope, grantedBy, Now.iso());
    }

    /** Owner, global admin, admin of the group, or member (host.md 4.3). */
    public boolean canAccess(String userId, String agentGroupId) {
        if (userId == null) {
            return false;
        }
        return db.one("SELECT 1 FROM user_roles WHERE user_id = ? AND (role = 'owner' OR agent_group_id = '' "
                        + "OR agent_group_id = ?) UNION ALL SELECT 1 FROM agent_group_members "
                        + "WHERE user_id = ? AND agent_group_id = ? LIMIT 1",
                rs -> 1, userId, agentGroupId, userId, agentGroupId).isPresent();
    }

    /** Owner, global admin or admin of this group (host.md 4.2). */
    public boolean isAdmin(String userId, String agentGroupId) {
        if (userId == null) {
            return false;
        }
        return db.one("SELECT 1 FROM user_roles WHERE user_id = ? AND (role = 'owner' OR agent_group_id = '' "
                + "OR agent_group_id = ?) LIMIT 1", rs -> 1, userId, agentGroupId).isPresent();
    }
}
