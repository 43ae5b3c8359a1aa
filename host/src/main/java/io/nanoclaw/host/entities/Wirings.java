package io.nanoclaw.host.entities;

import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

@Singleton
public class Wirings {
    @Inject
    Db db;

    /** The wirings of one chat, highest priority first (fan-out order). */
    public List<Wiring> forMessagingGroup(String mgId) {
        return db.query("SELECT id, messaging_group_id, agent_group_id, engage_mode, engage_pattern, sender_scope, "
                        + "ignored_message_policy, session_mode, priority FROM messaging_group_agents "
                        + "WHERE messaging_group_id = ? ORDER BY priority DESC, created_at",
                rs -> new Wiring(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9)),
                mgId);
    }

    /**
     * Wires a chat to an agent group and, as every code path must, adds the channel destination (named after the
     * chat, with -2, -3… on a name clash; none if one already points at this chat).
     */
    public Wiring create(Connection c, MessagingGroup mg, String agentGroupId, String engageMode,
                         String engagePattern, String senderScope, String ignoredPolicy, String sessionMode,
                         int priority) throws SQLException {
        Wiring w = new Wiring(Ids.wiring(), mg.id(), agentGroupId, engageMode, engagePattern, senderScope,
                ignoredPolicy, sessionMode, priority);
        Db.exec(c, "INSERT INTO messaging_group_agents(id, messaging_group_id, agent_group_id, engage_mode, "
                        + "engage_pattern, sender_scope, ignored_message_policy, session_mode, priority, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                w.id(), mg.id(), agentGroupId, engageMode, engagePattern, senderScope, ignoredPolicy, sessionMode,
                priority, Now.iso());
        Destinations.addChannelDestination(c, agentGroupId, mg);
        return w;
    }

    /**
     * Removes a wiring and, as creating it added one, the group's channel destinations to that chat; the caller
     * re-projects the group's sessions.
     *
     * @return how many destinations went with it
     */
    public int delete(Connection c, Wiring w) throws SQLException {
        Db.exec(c, "DELETE FROM messaging_group_agents WHERE id = ?", w.id());
        return Db.exec(c, "DELETE FROM agent_destinations WHERE agent_group_id = ? AND target_type = 'channel' "
                + "AND target_id = ?", w.agentGroupId(), w.messagingGroupId());
    }

    public java.util.Optional<Wiring> byId(String id) {
        return db.one("SELECT id, messaging_group_id, agent_group_id, engage_mode, engage_pattern, sender_scope, "
                        + "ignored_message_policy, session_mode, priority FROM messaging_group_agents WHERE id = ?",
                rs -> new Wiring(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9)), id);
    }
}
