package io.nanoclaw.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session DB contract on real SQLite files: schemas, journal modes, read-only readers and seq parity. */
class SessionDbTest {
    @TempDir
    Path dir;

    @Test
    void seqParityHelpers() {
        assertEquals(2, Seq.nextHostSeq(0));
        assertEquals(2, Seq.nextHostSeq(1));
        assertEquals(4, Seq.nextHostSeq(2));
        assertEquals(1, Seq.nextContainerSeq(0, 0));
        assertEquals(3, Seq.nextContainerSeq(2, 1));
        assertEquals(7, Seq.nextContainerSeq(6, 5));
        assertEquals(5, Seq.nextContainerSeq(2, 3));
        assertTrue(Seq.isInbound(4));
    }

    @Test
    void schemasCreateTwiceAndUseTheRequestedJournalMode() throws SQLException {
        for (JournalMode mode : JournalMode.values()) {
            Path in = dir.resolve(mode + "-inbound.db");
            try (Connection c = SessionDb.openWriter(in, mode)) {
                SessionSchema.createInbound(c);
                SessionSchema.createInbound(c);
                assertEquals(mode.name().toLowerCase(), pragma(c, "journal_mode"));
                assertEquals(Set.of("messages_in", "delivered", "destinations", "session_routing"), tables(c));
            }
            Path out = dir.resolve(mode + "-outbound.db");
            try (Connection c = SessionDb.openWriter(out, mode)) {
                SessionSchema.createOutbound(c);
                assertEquals(Set.of("messages_out", "processing_ack", "session_state", "container_state"), tables(c));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> JournalMode.parse("TRUNCATE"));
    }

    @Test
    void theReaderCanNotWriteAndSeesEachNewCommit() throws SQLException {
        Path in = dir.resolve("inbound.db");
        try (Connection writer = SessionDb.openWriter(in, JournalMode.WAL)) {
            SessionSchema.createInbound(writer);
            try (Connection reader = SessionDb.openReader(in)) {
                long v0 = SessionDb.dataVersion(reader);
                insertHostRow(writer, "m1");
                assertTrue(SessionDb.dataVersion(reader) != v0, "data_version moves when the writer commits");
                assertEquals(2, SessionDb.maxSeq(reader, "messages_in"));
                assertThrows(SQLException.class, () -> {
                    try (Statement st = reader.createStatement()) {
                        st.executeUpdate("DELETE FROM messages_in");
                    }
                });
            }
        }
    }

    @Test
    void concurrentHostWritersNeverShareASeqAndContainerSeqsStayOdd() throws Exception {
        Path in = dir.resolve("inbound.db");
        Path out = dir.resolve("outbound.db");
        try (Connection c = SessionDb.openWriter(in, JournalMode.WAL)) {
            SessionSchema.createInbound(c);
        }
        try (Connection c = SessionDb.openWriter(out, JournalMode.WAL)) {
            SessionSchema.createOutbound(c);
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            fs.add(pool.submit(() -> {
                try (Connection c = SessionDb.openWriter(in, JournalMode.WAL)) {
                    for (int i = 0; i < 50; i++) {
                        insertHostRow(c, "w" + writer + "-" + i);
                    }
                }
                return null;
            }));
        }
        fs.add(pool.submit(() -> {
            try (Connection o = SessionDb.openWriter(out, JournalMode.WAL); Connection r = SessionDb.openReader(in)) {
                for (int i = 0; i < 50; i++) {
                    insertContainerRow(o, r, "out-" + i);
                }
            }
            return null;
        }));
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        Set<Long> seen = new HashSet<>();
        try (Connection c = SessionDb.openReader(in); ResultSet rs = c.createStatement()
                .executeQuery("SELECT seq FROM messages_in")) {
            while (rs.next()) {
                assertEquals(0, rs.getLong(1) % 2);
                assertTrue(seen.add(rs.getLong(1)));
            }
        }
        try (Connection c = SessionDb.openReader(out); ResultSet rs = c.createStatement()
                .executeQuery("SELECT seq FROM messages_out")) {
            while (rs.next()) {
                assertEquals(1, rs.getLong(1) % 2);
                assertTrue(seen.add(rs.getLong(1)), "a container seq never equals a host seq");
            }
        }
        assertEquals(150, seen.size());
    }

    private static void insertHostRow(Connection c, String id) throws SQLException {
        SessionDb.inImmediateTransaction(c, () -> insert(c, "messages_in", id,
                Seq.nextHostSeq(SessionDb.maxSeq(c, "messages_in"))));
    }

    private static void insertContainerRow(Connection out, Connection in, String id) throws SQLException {
        SessionDb.inImmediateTransaction(out, () -> insert(out, "messages_out", id,
                Seq.nextContainerSeq(SessionDb.maxSeq(in, "messages_in"), SessionDb.maxSeq(out, "messages_out"))));
    }

    private static int insert(Connection c, String table, String id, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + table + "(id, seq, kind, timestamp, content) VALUES (?, ?, 'chat', 'now', '{}')")) {
            ps.setString(1, id);
            ps.setLong(2, seq);
            return ps.executeUpdate();
        }
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT name FROM sqlite_master WHERE type='table'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
