package io.nanoclaw.runner.store;

import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.runner.format.DestinationLookup;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runner's single, long-lived, read-only connection to inbound.db. In WAL mode each statement runs in its own
 * read transaction and so sees the host's latest commit; there is no need to reopen per poll as upstream does on
 * DELETE-mode VirtioFS mounts. Used from the loop thread only.
 */
public final class InboundStore implements DestinationLookup, MaxSeqSource, AutoCloseable {
    private final Connection conn;
    private final PreparedStatement pending;

    private InboundStore(Connection conn, PreparedStatement pending) {
        this.conn = conn;
        this.pending = pending;
    }

    public static InboundStore open(Path file) throws SQLException {
        Connection c = SessionDb.openReader(file);
        try {
            boolean onWake = hasColumn(c, "messages_in", "on_wake");
            // kind='system' rows are answers for tools, never prompt input: filtered in SQL so that they can't
            // take places in the newest-N window.
            String sql = """
                    SELECT id, seq, kind, timestamp, "trigger", platform_id, channel_type, thread_id, content
                    FROM messages_in
                    WHERE status = 'pending'
                      AND kind <> 'system'
                      AND (process_after IS NULL OR datetime(process_after) <= datetime('now'))
                    """
                    + (onWake ? "  AND (on_wake = 0 OR ?)\n" : "  AND ? IN (0, 1)\n")
                    + "ORDER BY seq DESC LIMIT ?";
            return new InboundStore(c, c.prepareStatement(sql));
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** Changes whenever the host commits to inbound.db: a poll that sees no change can skip its queries. */
    public long dataVersion() throws SQLException {
        return SessionDb.dataVersion(conn);
    }

    /**
     * Pending, due, non-system rows, newest first, at most {@code limit}. {@code on_wake} rows only when
     * {@code firstPoll}, so they reach a freshly started container only.
     */
    public List<InboundRow> pendingNewestFirst(boolean firstPoll, int limit) throws SQLException {
        pending.setInt(1, firstPoll ? 1 : 0);
        pending.setInt(2, limit);
        List<InboundRow> rows = new ArrayList<>();
        try (ResultSet rs = pending.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(2);
                Long seqOrNull = rs.wasNull() ? null : seq;
                rows.add(new InboundRow(rs.getString(1), seqOrNull, rs.getString(3), rs.getString(4),
                        rs.getInt(5) != 0, rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
        return rows;
    }

    @Override
    public long maxInboundSeq() throws SQLException {
        return SessionDb.maxSeq(conn, "messages_in");
    }

    @Override
    public Optional<String> nameFor(String channelType, String platformId) throws SQLException {
        if (channelType == null || channelType.isEmpty() || platformId == null || platformId.isEmpty()) {
            return Optional.empty();
        }
        boolean agent = channelType.equals("agent");
        String sql = agent
                ? "SELECT name FROM destinations WHERE type = 'agent' AND agent_group_id = ? LIMIT 1"
                : "SELECT name FROM destinations WHERE type = 'channel' AND channel_type = ? AND platform_id = ? LIMIT 1";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            if (agent) {
                ps.setString(1, platformId);
            } else {
                ps.setString(1, channelType);
                ps.setString(2, platformId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Every destination, by name (the host rewrites the table on wake and on wiring changes: read it each time). */
    public List<Destination> destinations() throws SQLException {
        return InboundQueries.destinations(conn);
    }

    /**
     * The newest inbound row (any status) from this chat or agent: a reply to it goes into its thread and answers
     * it (agent-runner.md 4.2). For channel type "agent", platformId is the source agent group.
     */
    public Optional<InboundRow> newestFrom(String channelType, String platformId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("""
                SELECT id, seq, kind, timestamp, "trigger", platform_id, channel_type, thread_id, content
                FROM messages_in WHERE channel_type = ? AND platform_id = ? ORDER BY seq DESC LIMIT 1""")) {
            ps.setString(1, channelType);
            ps.setString(2, platformId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long seq = rs.getLong(2);
                Long seqOrNull = rs.wasNull() ? null : seq;
                return Optional.of(new InboundRow(rs.getString(1), seqOrNull, rs.getString(3), rs.getString(4),
                        rs.getInt(5) != 0, rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
    }

    /** The session's default reply address (its chat and thread), when it has one. */
    public Optional<Routing> sessionRouting() throws SQLException {
        return InboundQueries.sessionRouting(conn);
    }

    /** Older inbound files may lack a column; upstream then skips the filter that needs it. */
    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pragma_table_info(?) WHERE name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            pending.close();
        } finally {
            conn.close();
        }
    }
}
