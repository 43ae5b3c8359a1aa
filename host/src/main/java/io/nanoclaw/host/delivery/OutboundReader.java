package io.nanoclaw.host.delivery;

import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.protocol.SessionDb;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads a session's outbound.db (read-only) and the delivery bookkeeping in its inbound.db. */
@Singleton
public class OutboundReader {
    @Inject
    SessionDbs dbs;

    /** outbound.db's data_version, or -1 while the file is missing. */
    public long version(Session s) {
        Long v = dbs.withOutbound(s.agentGroupId(), s.id(), SessionDb::dataVersion);
        return v == null ? -1 : v;
    }

    /** Rows above the watermark, in seq order. */
    public List<OutboundRow> rowsAfter(Session s, long seq) {
        List<OutboundRow> rows = dbs.withOutbound(s.agentGroupId(), s.id(), c -> {
            List<OutboundRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, in_reply_to, kind, platform_id, "
                    + "channel_type, thread_id, content, deliver_after FROM messages_out WHERE seq > ? ORDER BY seq")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboundRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getString(9)));
                    }
                }
            }
            return out;
        });
        return rows == null ? List.of() : rows;
    }

    /**
     * Final acks (completed or failed), as [message_id, status], of the rows inbound.db still has pending: only
     * those can change, so the cost stays with the work in flight, not with the session's age.
     */
    public List<String[]> finalAcks(Session s) {
        List<String> pending = dbs.withInbound(s.agentGroupId(), s.id(), c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM messages_in WHERE status = 'pending'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        if (pending.isEmpty()) {
            return List.of();
        }
        List<String[]> acks = dbs.withOutbound(s.agentGroupId(), s.id(), c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT status FROM processing_ack "
                    + "WHERE message_id = ? AND status IN ('completed', 'failed')")) {
                for (String id : pending) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            out.add(new String[] {id, rs.getString(1)});
                        }
                    }
                }
            }
            return out;
        });
        return acks == null ? List.of() : acks;
    }

    /** Ids among these that inbound.delivered already records (delivered or failed). */
    public Set<String> settled(Session s, List<OutboundRow> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        return dbs.withInbound(s.agentGroupId(), s.id(), c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM delivered WHERE message_out_id = ?")) {
                for (OutboundRow r : rows) {
                    ps.setString(1, r.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            out.add(r.id());
                        }
                    }
                }
            }
            return out;
        });
    }

    /** Pending trigger rows that are due and not yet finally acked: the work the container still owes. */
    public int owed(Session s) {
        Integer n = dbs.withInbound(s.agentGroupId(), s.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM messages_in WHERE status = 'pending' "
                    + "AND trigger = 1 AND kind <> 'system' AND (process_after IS NULL "
                    + "OR datetime(process_after) <= datetime('now'))");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
        return n == null ? 0 : n;
    }

    /** The platform id an outbound row got when it was delivered (host.md 3.2: edits and reactions). */
    public java.util.Optional<String> platformMessageId(Session s, String messageOutId) {
        String id = dbs.withInbound(s.agentGroupId(), s.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT platform_message_id FROM delivered WHERE message_out_id = ?")) {
                ps.setString(1, messageOutId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        return java.util.Optional.ofNullable(id);
    }
}
