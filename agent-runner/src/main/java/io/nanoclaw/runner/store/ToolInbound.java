package io.nanoclaw.runner.store;

import io.nanoclaw.protocol.SessionDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A read-only connection to inbound.db for the nanoclaw tools and {@code ncl}. The poll loop's {@link InboundStore}
 * belongs to the loop thread; tools run on the agent's threads (read-only ones in parallel), so they get their own
 * connection, and every method holds this object's monitor so that two tool threads never share a statement. In
 * WAL mode each statement sees the host's latest commit, so one long-lived connection is enough.
 */
public final class ToolInbound implements MaxSeqSource, AutoCloseable {
    private final Connection conn;

    private ToolInbound(Connection conn) {
        this.conn = conn;
    }

    public static ToolInbound open(Path file) throws SQLException {
        return new ToolInbound(SessionDb.openReader(file));
    }

    @Override
    public synchronized long maxInboundSeq() throws SQLException {
        return SessionDb.maxSeq(conn, "messages_in");
    }

    /** Every destination, by name; read on each lookup because the host rewrites the table on wiring changes. */
    public synchronized List<Destination> destinations() throws SQLException {
        return InboundQueries.destinations(conn);
    }

    /** The session's own chat and thread, when it has one (agent-shared and internal sessions have none). */
    public synchronized Optional<Routing> sessionRouting() throws SQLException {
        return InboundQueries.sessionRouting(conn);
    }

    /** The inbound row with this (even) seq. */
    public synchronized Optional<RowRef> bySeq(long seq) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT id, platform_id, channel_type, thread_id FROM messages_in WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new RowRef(rs.getString(1),
                                new Routing(rs.getString(2), rs.getString(3), rs.getString(4))))
                        : Optional.empty();
            }
        }
    }

    /** The platform's id for an outbound row the host delivered, when the adapter reported one. */
    public synchronized Optional<String> deliveredPlatformId(String messageOutId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT platform_message_id FROM delivered WHERE message_out_id = ?")) {
            ps.setString(1, messageOutId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String id = rs.getString(1);
                    return id == null || id.isEmpty() ? Optional.empty() : Optional.of(id);
                }
                return Optional.empty();
            }
        }
    }

    /**
     * One row per task series, the live occurrence (the highest seq; SQLite takes the bare columns from the row
     * holding MAX(seq)), ordered by due time. {@code status} null means pending and paused.
     */
    public synchronized List<TaskRow> tasks(String status) throws SQLException {
        String where = status == null ? "status IN ('pending', 'paused')" : "status = ?";
        try (PreparedStatement ps = conn.prepareStatement("SELECT series_id, status, process_after, recurrence, "
                + "content, MAX(seq) FROM messages_in WHERE kind = 'task' AND " + where
                + " GROUP BY series_id ORDER BY process_after ASC")) {
            if (status != null) {
                ps.setString(1, status);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<TaskRow> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new TaskRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
                return rows;
            }
        }
    }

    /** Pending system rows, oldest first: the host's answers to questions and cli requests. */
    public synchronized List<SystemRow> pendingSystemRows() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT id, content FROM messages_in WHERE kind = 'system' AND status = 'pending' ORDER BY seq");
             ResultSet rs = ps.executeQuery()) {
            List<SystemRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new SystemRow(rs.getString(1), rs.getString(2)));
            }
            return rows;
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        conn.close();
    }
}
