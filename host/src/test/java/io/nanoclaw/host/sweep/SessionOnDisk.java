package io.nanoclaw.host.sweep;

import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionTestKit;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.protocol.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One real session folder, with both sides' writes: the host's rows in inbound.db, and what the runner would leave
 * in outbound.db and .heartbeat (through its own writer connection, as the container does).
 */
final class SessionOnDisk implements AutoCloseable {
    final SessionTestKit kit;
    final Session session = new Session("sess-1", "ag-1", "mg-1", null, "active", "stopped", null);
    private Connection container;

    SessionOnDisk(Path home) {
        kit = new SessionTestKit(home);
        kit.folders.create(session.agentGroupId(), session.id());
    }

    LivenessReader liveness() {
        LivenessReader r = new LivenessReader();
        r.dbs = kit.dbs;
        r.folders = kit.folders;
        return r;
    }

    Path heartbeat() {
        return kit.folders.heartbeat(session.agentGroupId(), session.id());
    }

    void heartbeatAt(Instant t) throws IOException {
        if (!Files.exists(heartbeat())) {
            Files.createFile(heartbeat());
        }
        Files.setLastModifiedTime(heartbeat(), FileTime.from(t));
    }

    private Connection container() throws SQLException {
        if (container == null) {
            container = SessionDb.openWriter(kit.folders.outbound(session.agentGroupId(), session.id()),
                    JournalMode.WAL);
        }
        return container;
    }

    /** An ack as the runner writes it: INSERT OR REPLACE, status_changed in SQLite's UTC shape. */
    void ack(String messageId, String status, Instant at) throws SQLException {
        try (PreparedStatement ps = container().prepareStatement(
                "INSERT OR REPLACE INTO processing_ack(message_id, status, status_changed) VALUES (?, ?, ?)")) {
            ps.setString(1, messageId);
            ps.setString(2, status);
            ps.setString(3, Timestamps.sqliteUtc(at));
            ps.executeUpdate();
        }
    }

    void toolRunning(String tool, Long timeoutMs) throws SQLException {
        try (PreparedStatement ps = container().prepareStatement("INSERT OR REPLACE INTO container_state(id, "
                + "current_tool, tool_declared_timeout_ms, tool_started_at, updated_at) VALUES (1, ?, ?, ?, ?)")) {
            ps.setString(1, tool);
            if (timeoutMs == null) {
                ps.setNull(2, Types.INTEGER);
            } else {
                ps.setLong(2, timeoutMs);
            }
            ps.setString(3, Timestamps.iso(Instant.now()));
            ps.setString(4, Timestamps.iso(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** The runner's crash recovery at start: it drops the claims its previous run left. */
    int runnerReleasesLeftoverClaims() throws SQLException {
        try (PreparedStatement ps = container().prepareStatement(
                "DELETE FROM processing_ack WHERE status = 'processing'")) {
            return ps.executeUpdate();
        }
    }

    List<String> acks() throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = container().prepareStatement(
                "SELECT message_id || ':' || status || ':' || status_changed FROM processing_ack ORDER BY message_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** A host-written messages_in row with routing. */
    void inbound(String id, String status, int tries, String processAfter) {
        kit.dbs.withInbound(session.agentGroupId(), session.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages_in(id, seq, kind, timestamp, status, "
                    + "process_after, tries, trigger, platform_id, channel_type, thread_id, content) "
                    + "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 2 FROM messages_in), 'chat', ?, ?, ?, ?, 1, "
                    + "'chat-42', 'telegram', 'th-7', ?)")) {
                ps.setString(1, id);
                ps.setString(2, Timestamps.iso(Instant.now()));
                ps.setString(3, status);
                ps.setString(4, processAfter);
                ps.setInt(5, tries);
                ps.setString(6, "{\"text\":\"hello " + id + "\"}");
                return ps.executeUpdate();
            }
        });
    }

    record Row(String status, int tries, String processAfter) {}

    Row row(String id) {
        return kit.dbs.withInbound(session.agentGroupId(), session.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status, tries, process_after FROM messages_in WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Row(rs.getString(1), rs.getInt(2), rs.getString(3)) : null;
                }
            }
        });
    }

    /** Whether the runner would select the row at this instant (its own query, run against inbound.db). */
    boolean selectableAt(String id, Instant at) {
        return kit.dbs.withInbound(session.agentGroupId(), session.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM messages_in WHERE id = ? AND status = "
                    + "'pending' AND (process_after IS NULL OR datetime(process_after) <= datetime(?))")) {
                ps.setString(1, id);
                ps.setString(2, Timestamps.sqliteUtc(at));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public void close() throws SQLException {
        kit.close();
        if (container != null) {
            container.close();
        }
    }
}
