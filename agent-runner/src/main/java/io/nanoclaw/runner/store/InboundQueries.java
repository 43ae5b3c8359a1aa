package io.nanoclaw.runner.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inbound.db reads that both the poll loop's connection and the tools' own connection make (each caller keeps
 * its own connection and its own locking).
 */
final class InboundQueries {
    private InboundQueries() {}

    /** Every destination, by name; read on each lookup because the host rewrites the table on wiring changes. */
    static List<Destination> destinations(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT name, display_name, type, channel_type, "
                + "platform_id, agent_group_id FROM destinations ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            List<Destination> all = new ArrayList<>();
            while (rs.next()) {
                all.add(new Destination(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)));
            }
            return all;
        }
    }

    /** The session's own chat and thread, when it has one (agent-shared and internal sessions have none). */
    static Optional<Routing> sessionRouting(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT platform_id, channel_type, thread_id FROM session_routing WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getString(1) != null && rs.getString(2) != null) {
                return Optional.of(new Routing(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            return Optional.empty();
        }
    }
}
