package io.nanoclaw.host.entities;

import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/** agent_destinations: both the ACL of where an agent may send and the names it uses for those places. */
@Singleton
public class Destinations {
    @Inject
    Db db;

    /** A destination as projected into a session's inbound.db. */
    public record Projected(String name, String displayName, String type, String channelType, String platformId,
                            String agentGroupId) {}

    static void addChannelDestination(Connection c, String agentGroupId, MessagingGroup mg) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, "SELECT 1 FROM agent_destinations WHERE agent_group_id = ? "
                + "AND target_type = 'channel' AND target_id = ?", agentGroupId, mg.id());
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return;
            }
        }
        String base = slug(mg.name() != null ? mg.name() : mg.channelType() + "-" + mg.platformId());
        String name = base;
        for (int n = 2; taken(c, agentGroupId, name); n++) {
            name = base + "-" + n;
        }
        Db.exec(c, "INSERT INTO agent_destinations(agent_group_id, local_name, target_type, target_id, created_at) "
                + "VALUES (?, ?, 'channel', ?, ?)", agentGroupId, name, mg.id(), Now.iso());
    }

    /** An agent destination under a name the caller chose (create_agent: the child's slug, and "parent"). */
    public static void addAgentDestination(Connection c, String agentGroupId, String localName, String targetGroupId)
            throws SQLException {
        Db.exec(c, "INSERT INTO agent_destinations(agent_group_id, local_name, target_type, target_id, created_at) "
                + "VALUES (?, ?, 'agent', ?, ?)", agentGroupId, localName, targetGroupId, Now.iso());
    }

    /** Whether the group already uses this local name (for any kind of destination). */
    public static boolean nameTaken(Connection c, String agentGroupId, String name) throws SQLException {
        return taken(c, agentGroupId, name);
    }

    private static boolean taken(Connection c, String agentGroupId, String name) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c,
                "SELECT 1 FROM agent_destinations WHERE agent_group_id = ? AND local_name = ?", agentGroupId, name);
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    static String slug(String s) {
        String v = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return v.isEmpty() ? "chat" : v.length() > 48 ? v.substring(0, 48) : v;
    }

    /** What a session of this agent group may see: channel rows joined to their chats, agent rows by id. */
    public List<Projected> projectionFor(String agentGroupId) {
        return db.query("SELECT d.local_name, COALESCE(mg.name, ag.name, d.local_name), d.target_type, "
                        + "mg.channel_type, mg.platform_id, CASE WHEN d.target_type = 'agent' THEN d.target_id END "
                        + "FROM agent_destinations d "
                        + "LEFT JOIN messaging_groups mg ON d.target_type = 'channel' AND mg.id = d.target_id "
                        + "LEFT JOIN agent_groups ag ON d.target_type = 'agent' AND ag.id = d.target_id "
                        + "WHERE d.agent_group_id = ? ORDER BY d.local_name",
                rs -> new Projected(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)),
                agentGroupId);
    }

    /** The agent-to-agent ACL: may this agent group send to that one? */
    public boolean allowsAgent(String agentGroupId, String targetGroupId) {
        return db.one("SELECT 1 FROM agent_destinations WHERE agent_group_id = ? AND target_type = 'agent' "
                + "AND target_id = ?", rs -> 1, agentGroupId, targetGroupId).isPresent();
    }

    /** The group's local name for another group, for messages that name it. */
    public java.util.Optional<String> nameOfAgent(String agentGroupId, String targetGroupId) {
        return db.one("SELECT local_name FROM agent_destinations WHERE agent_group_id = ? AND target_type = 'agent' "
                + "AND target_id = ? ORDER BY local_name LIMIT 1", rs -> rs.getString(1), agentGroupId, targetGroupId);
    }

    /** The delivery ACL: may this agent group send to this chat? */
    public boolean allowsChannel(String agentGroupId, String messagingGroupId) {
        return db.one("SELECT 1 FROM agent_destinations WHERE agent_group_id = ? AND target_type = 'channel' "
                + "AND target_id = ?", rs -> 1, agentGroupId, messagingGroupId).isPresent();
    }

    /** A channel destination under a name the caller chose (ncl destinations add). */
    public static void addChannelDestination(Connection c, String agentGroupId, String localName,
                                             String messagingGroupId) throws SQLException {
        Db.exec(c, "INSERT INTO agent_destinations(agent_group_id, local_name, target_type, target_id, created_at) "
                + "VALUES (?, ?, 'channel', ?, ?)", agentGroupId, localName, messagingGroupId, Now.iso());
    }

    /** @return whether a destination of that name was there */
    public boolean remove(String agentGroupId, String localName) {
        return db.update("DELETE FROM agent_destinations WHERE agent_group_id = ? AND local_name = ?", agentGroupId,
                localName) > 0;
    }

    /** The groups that have a destination pointing at this target (to re-project after it changes). */
    public List<String> groupsPointingAt(String targetType, String targetId) {
        return db.query("SELECT DISTINCT agent_group_id FROM agent_destinations WHERE target_type = ? "
                + "AND target_id = ?", rs -> rs.getString(1), targetType, targetId);
    }
}
