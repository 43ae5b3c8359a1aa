package io.nanoclaw.host.scheduling;

import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.protocol.SessionSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A real inbound.db in a temp folder, standing in for SessionDbs, plus a clock the test moves by hand. */
final class TestInbound implements InboundAccess, AutoCloseable {
    static final Session SESSION = new Session("sess-1", "ag-1", "mg-1", null, "active", "running", null);

    record Row(String id, long seq, String kind, String status, String processAfter, String recurrence,
               String seriesId, int trigger, String platformId, String channelType, String threadId,
               String content) {}

    final Connection c;
    final MutableClock clock;

    TestInbound(Path dir, Instant now) throws SQLException {
        c = SessionDb.openWriter(dir.resolve("inbound.db"), JournalMode.WAL);
        SessionSchema.createInbound(c);
        clock = new MutableClock(now);
    }

    Tasks tasks(ZoneId zone) {
        return new Tasks(this, zone, clock);
    }

    @Override
    public <T> T withInbound(Session s, SessionDbs.Work<T> work) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Row> rows() throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, seq, kind, status, process_after, recurrence, "
                + "series_id, trigger, platform_id, channel_type, thread_id, content FROM messages_in ORDER BY seq");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10),
                        rs.getString(11), rs.getString(12)));
            }
        }
        return out;
    }

    Row row(String id) throws SQLException {
        return rows().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id));
    }

    /** What the ack sync does when the container finishes a row. */
    void finish(String id, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE messages_in SET status = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setString(2, id);
            if (ps.executeUpdate() != 1) {
                throw new AssertionError("no row " + id);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the tasks code must not depend on a clock zone");
        }
    }
}
