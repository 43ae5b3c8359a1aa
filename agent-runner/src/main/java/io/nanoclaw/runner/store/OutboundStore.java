package io.nanoclaw.runner.store;

import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.Seq;
import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.protocol.SessionSchema;
import io.nanoclaw.protocol.Timestamps;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runner's single writer connection to outbound.db: the runner is the only writer of this file. Every write is
 * one {@code BEGIN IMMEDIATE} transaction, so seq allocation and insert can't interleave with anything. A lock
 * guards the connection so that shutdown can wait for the write in flight and then refuse new ones.
 */
public final class OutboundStore implements AutoCloseable {
    private final Connection conn;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private OutboundStore(Connection conn) {
        this.conn = conn;
    }

    /** Opens the writer and adds any missing runner tables (the host normally created them already). */
    public static OutboundStore open(Path file, JournalMode mode) throws SQLException {
        Connection c = SessionDb.openWriter(file, mode);
        try {
            SessionSchema.createOutbound(c);
            c.setAutoCommit(true); // transactions are explicit BEGIN IMMEDIATE ... COMMIT
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new OutboundStore(c);
    }

    /** Crash recovery: rows a previous run claimed but never finished become pending again for this run. */
    public int deleteProcessingAcks() throws SQLException {
        return immediate(() -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM processing_ack WHERE status = ?")) {
                ps.setString(1, AckStatus.PROCESSING.column());
                return ps.executeUpdate();
            }
        });
    }

    /** Which of these message ids already have an ack of any status. */
    public Set<String> ackedAmong(List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Set.of();
        }
        String sql = "SELECT message_id FROM processing_ack WHERE message_id IN ("
                + "?,".repeat(ids.size() - 1) + "?)";
        lock.lock();
        try {
            ensureOpen();
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                for (int i = 0; i < ids.size(); i++) {
                    ps.setString(i + 1, ids.get(i));
                }
                Set<String> found = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
                return found;
            }
        } finally {
            lock.unlock();
        }
    }

    public void ack(Collection<String> ids, AckStatus status) throws SQLException {
        write(List.of(), ids, status, () -> 0);
    }

    /**
     * Inserts the messages (odd seqs above both tables' maximum) and acks the ids, all in one transaction, so the
     * host never sees a reply without its completion or the other way round. Returns the new row ids.
     */
    public List<String> write(List<OutboundMessage> messages, Collection<String> ackIds, AckStatus status,
                              MaxSeqSource inbound) throws SQLException {
        return immediate(() -> {
            List<String> written = new ArrayList<>(messages.size());
            if (!messages.isEmpty()) {
                long maxInbound = inbound.maxInboundSeq();
                long maxOutbound = SessionDb.maxSeq(conn, "messages_out");
                try (PreparedStatement ps = conn.prepareStatement("""
                        INSERT INTO messages_out (id, seq, in_reply_to, timestamp, kind, platform_id, channel_type,
                                                  thread_id, content)
                        VALUES (?, ?, ?, datetime('now'), ?, ?, ?, ?, ?)""")) {
                    for (OutboundMessage m : messages) {
                        long seq = Seq.nextContainerSeq(maxInbound, maxOutbound);
                        maxOutbound = seq;
                        String id = m.id() != null ? m.id() : MessageIds.next("msg");
                        Routing r = m.routing() == null ? new Routing(null, null, null) : m.routing();
                        ps.setString(1, id);
                        ps.setLong(2, seq);
                        ps.setString(3, m.inReplyTo());
                        ps.setString(4, m.kind());
                        ps.setString(5, r.platformId());
                        ps.setString(6, r.channelType());
                        ps.setString(7, r.threadId());
                        ps.setString(8, m.content());
                        ps.executeUpdate();
                        written.add(id);
                    }
                }
            }
            if (!ackIds.isEmpty()) {
                try (PreparedStatement ps = conn.prepareStatement(
                        "INSERT OR REPLACE INTO processing_ack (message_id, status, status_changed) "
                                + "VALUES (?, ?, datetime('now'))")) {
                    for (String id : ackIds) {
                        ps.setString(1, id);
                        ps.setString(2, status.column());
                        ps.executeUpdate();
                    }
                }
            }
            return written;
        });
    }

    /** The outbound row with this (odd) seq, for edits and reactions that refer to it. */
    public Optional<RowRef> bySeq(long seq) throws SQLException {
        lock.lock();
        try {
            ensureOpen();
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT id, platform_id, channel_type, thread_id FROM messages_out WHERE seq = ?")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new RowRef(rs.getString(1),
                                    new Routing(rs.getString(2), rs.getString(3), rs.getString(4))))
                            : Optional.empty();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The seq a written row got: tools report it to the agent, which refers to messages by seq. */
    public OptionalLong seqOf(String id) throws SQLException {
        lock.lock();
        try {
            ensureOpen();
            try (PreparedStatement ps = conn.prepareStatement("SELECT seq FROM messages_out WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public Optional<String> readState(String key) throws SQLException {
        lock.lock();
        try {
            ensureOpen();
            try (PreparedStatement ps = conn.prepareStatement("SELECT value FROM session_state WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public void writeState(String key, String value) throws SQLException {
        immediate(() -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT OR REPLACE INTO session_state (key, value, updated_at) VALUES (?, ?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.setString(3, Timestamps.iso(Instant.now()));
                return ps.executeUpdate();
            }
        });
    }

    public void deleteState(String key) throws SQLException {
        immediate(() -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM session_state WHERE key = ?")) {
                ps.setString(1, key);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The tool running now and its declared timeout (container_state), or none: the host's sweep widens its
     * stuck limits by a running Bash command's timeout.
     */
    public void writeRunningTool(String tool, long declaredTimeoutMs) throws SQLException {
        String now = Timestamps.iso(Instant.now());
        immediate(() -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO container_state "
                    + "(id, current_tool, tool_declared_timeout_ms, tool_started_at, updated_at) VALUES (1, ?, ?, ?, ?)")) {
                ps.setString(1, tool);
                if (tool == null) {
                    ps.setNull(2, java.sql.Types.INTEGER);
                    ps.setNull(3, java.sql.Types.VARCHAR);
                } else {
                    ps.setLong(2, declaredTimeoutMs);
                    ps.setString(3, now);
                }
                ps.setString(4, now);
                return ps.executeUpdate();
            }
        });
    }

    /** For SIGTERM: waits for the write in flight, then closes; later writes fail instead of starting. */
    public void closeForShutdown() {
        lock.lock();
        try {
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closeForShutdown();
    }

    private void closeQuietly() {
        if (!closed) {
            closed = true;
            try {
                conn.close();
            } catch (SQLException ignored) {
                // closing at exit: nothing left to save
            }
        }
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("outbound.db is closed (shutting down)");
        }
    }

    private <T> T immediate(SessionDb.TxWork<T> work) throws SQLException {
        lock.lock();
        try {
            ensureOpen();
            return SessionDb.inImmediateTransaction(conn, work);
        } finally {
            lock.unlock();
        }
    }
}
