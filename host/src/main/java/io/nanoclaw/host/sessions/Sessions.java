package io.nanoclaw.host.sessions;

import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.Now;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The sessions table. */
@Singleton
public class Sessions {
    private static final String COLS =
            "id, agent_group_id, messaging_group_id, thread_id, status, container_status, last_active";

    @Inject
    Db db;

    static Session map(ResultSet rs) throws SQLException {
        return new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7));
    }

    public Optional<Session> byId(String id) {
        return db.one("SELECT " + COLS + " FROM sessions WHERE id = ?", Sessions::map, id);
    }

    /** Active session of (agent group, chat, thread); a null thread matches only thread-less sessions. */
    public Optional<Session> findActive(String agId, String mgId, String threadId) {
        return db.one("SELECT " + COLS + " FROM sessions WHERE agent_group_id = ? AND messaging_group_id IS ? "
                        + "AND thread_id IS ? AND status = 'active' ORDER BY created_at LIMIT 1",
                Sessions::map, agId, mgId, threadId);
    }

    /** The agent-shared session of a group: the oldest active one, so the choice is stable. */
    public Optional<Session> findAgentShared(String agId) {
        return db.one("SELECT " + COLS + " FROM sessions WHERE agent_group_id = ? AND status = 'active' "
                + "ORDER BY created_at, id LIMIT 1", Sessions::map, agId);
    }

    /** The group's most recently active session (agent-to-agent's last fallback, host.md 6.6 2.4). */
    public Optional<Session> newestActive(String agId) {
        return db.one("SELECT " + COLS + " FROM sessions WHERE agent_group_id = ? AND status = 'active' "
                + "ORDER BY last_active DESC, created_at DESC, id DESC LIMIT 1", Sessions::map, agId);
    }

    public List<Session> activeOf(String agId) {
        return db.query("SELECT " + COLS + " FROM sessions WHERE agent_group_id = ? AND status = 'active'",
                Sessions::map, agId);
    }

    public List<Session> active() {
        return db.query("SELECT " + COLS + " FROM sessions WHERE status = 'active'", Sessions::map);
    }

    /** Sessions whose container runs (running or idle). */
    public List<Session> running() {
        return db.query("SELECT " + COLS + " FROM sessions WHERE status = 'active' "
                + "AND container_status IN ('running', 'idle')", Sessions::map);
    }

    public void insert(Session s) {
        db.update("INSERT INTO sessions(id, agent_group_id, messaging_group_id, thread_id, status, container_status, "
                        + "last_active, created_at) VALUES (?, ?, ?, ?, 'active', 'stopped', ?, ?)",
                s.id(), s.agentGroupId(), s.messagingGroupId(), s.threadId(), Now.iso(), Now.iso());
    }

    public void setContainerStatus(String id, String status) {
        db.update("UPDATE sessions SET container_status = ? WHERE id = ?", status, id);
    }

    public void touch(String id) {
        db.update("UPDATE sessions SET last_active = ? WHERE id = ?", Now.iso(), id);
    }

    /** At host start no container of ours can be known to run: the runtime re-marks the ones it finds. */
    public int resetContainerStatus() {
        return db.update("UPDATE sessions SET container_status = 'stopped' WHERE container_status <> 'stopped'");
    }
}
