package io.nanoclaw.host.sessions;

import io.nanoclaw.host.entities.Destinations;
import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.protocol.Seq;
import io.nanoclaw.protocol.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/** Everything the host writes into inbound.db, each write in one transaction. */
@Singleton
public class InboundWriter {
    @Inject
    SessionDbs dbs;

    @Inject
    Sessions sessions;

    /**
     * Inserts a messages_in row with the next even seq, allocated inside the same write transaction so two writers
     * can never take the same number. Returns the seq. A row id that already exists is kept as it is (the same
     * platform message routed twice is one message), and -1 is returned.
     */
    public long write(String agentGroupId, String sessionId, InboundRow row) {
        long seq = dbs.withInbound(agentGroupId, sessionId, c -> SessionDb.inImmediateTransaction(c, () -> {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM messages_in WHERE id = ?")) {
                exists.setString(1, row.id());
                if (exists.executeQuery().next()) {
                    return -1L;
                }
            }
            long next = Seq.nextHostSeq(SessionDb.maxSeq(c, "messages_in"));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages_in(id, seq, kind, timestamp, status, "
                    + "process_after, series_id, tries, trigger, platform_id, channel_type, thread_id, content, "
                    + "source_session_id, on_wake) VALUES (?, ?, ?, ?, 'pending', ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, row.id());
                ps.setLong(2, next);
                ps.setString(3, row.kind());
                ps.setString(4, Timestamps.iso(Instant.now()));
                ps.setString(5, row.processAfter());
                ps.setString(6, row.id());
                ps.setInt(7, row.trigger() ? 1 : 0);
                ps.setString(8, row.platformId());
                ps.setString(9, row.channelType());
                ps.setString(10, row.threadId());
                ps.setString(11, row.content());
                ps.setString(12, row.sourceSessionId());
                ps.setInt(13, row.onWake() ? 1 : 0);
                ps.executeUpdate();
            }
            return next;
        }));
        sessions.touch(sessionId);
        return seq;
    }

    public boolean exists(String agentGroupId, String sessionId, String rowId) {
        return dbs.withInbound(agentGroupId, sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM messages_in WHERE id = ?")) {
                ps.setString(1, rowId);
                return ps.executeQuery().next();
            }
        });
    }

    /** Replaces the destinations projection and the default reply address, as every wake must. */
    public void project(String agentGroupId, String sessionId, List<Destinations.Projected> destinations,
                        String channelType, String platformId, String threadId) {
        dbs.withInbound(agentGroupId, sessionId, c -> SessionDb.inImmediateTransaction(c, () -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM destinations");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO destinations(name, display_name, type, "
                    + "channel_type, platform_id, agent_group_id) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Destinations.Projected d : destinations) {
                    ps.setString(1, d.name());
                    ps.setString(2, d.displayName());
                    ps.setString(3, d.type());
                    ps.setString(4, d.channelType());
                    ps.setString(5, d.platformId());
                    ps.setString(6, d.agentGroupId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_routing(id, channel_type, platform_id, "
                    + "thread_id) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET channel_type = excluded.channel_type, "
                    + "platform_id = excluded.platform_id, thread_id = excluded.thread_id")) {
                ps.setString(1, channelType);
                ps.setString(2, platformId);
                ps.setString(3, threadId);
                ps.executeUpdate();
            }
            return null;
        }));
    }

    /** Records a delivery outcome for an outbound row (delivered or failed). */
    public void markDelivered(String agentGroupId, String sessionId, String messageOutId, String platformMessageId,
                              String status) {
        dbs.withInbound(agentGroupId, sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO delivered(message_out_id, platform_message_id, "
                    + "status, delivered_at) VALUES (?, ?, ?, ?) ON CONFLICT(message_out_id) DO UPDATE SET "
                    + "platform_message_id = excluded.platform_message_id, status = excluded.status, "
                    + "delivered_at = excluded.delivered_at")) {
                ps.setString(1, messageOutId);
                ps.setString(2, platformMessageId);
                ps.setString(3, status);
                ps.setString(4, Timestamps.iso(Instant.now()));
                return ps.executeUpdate();
            }
        });
    }

    /** Copies the container's final acks into messages_in.status: completed stays completed, failed stays failed. */
    public int syncAcks(String agentGroupId, String sessionId, List<String[]> finalAcks) {
        if (finalAcks.isEmpty()) {
            return 0;
        }
        return dbs.withInbound(agentGroupId, sessionId, c -> SessionDb.inImmediateTransaction(c, () -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE messages_in SET status = ? WHERE id = ? AND status = 'pending'")) {
                for (String[] ack : finalAcks) {
                    ps.setString(1, ack[1]);
                    ps.setString(2, ack[0]);
                    n += ps.executeUpdate();
                }
            }
            return n;
        }));
    }

}
