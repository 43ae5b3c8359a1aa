package io.nanoclaw.protocol;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens session DB connections the same way on both sides. The reading side opens read-only: a read-only
 * connection never checkpoints and never writes the file, which is what keeps the one-writer-per-file rule
 * true at the SQLite level and not only in our code.
 */
public final class SessionDb {
    public static final int BUSY_TIMEOUT_MS = 5000;

    private SessionDb() {}

    /** A read-write connection for the file's single writer; sets the journal mode. */
    public static Connection openWriter(Path file, JournalMode mode) throws SQLException {
        Connection c = open(file, false);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=" + mode.name());
            st.execute("PRAGMA synchronous=" + (mode == JournalMode.WAL ? "NORMAL" : "FULL"));
            st.execute("PRAGMA foreign_keys=ON");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A read-only connection for the side that only reads this file. */
    public static Connection openReader(Path file) throws SQLException {
        return open(file, true);
    }

    private static Connection open(Path file, boolean readOnly) throws SQLException {
        Properties p = new Properties();
        p.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
        if (readOnly) {
            p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
            p.setProperty("mmap_size", "0");
        }
        // The driver directly, not DriverManager: no service lookup that depends on the caller's class loader
        // (Quarkus tests, native images).
        Connection c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            if (readOnly) {
                st.execute("PRAGMA query_only=1");
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * SQLite's data_version: changes when another connection commits to the file. A poll that sees no change
     * skips its queries, which keeps fast polling nearly free.
     */
    public static long dataVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA data_version")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    public static long maxSeq(Connection c, String table) throws SQLException {
        if (!table.equals("messages_in") && !table.equals("messages_out")) {
            throw new IllegalArgumentException("no seq in table " + table);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Work inside a write transaction. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs work in a {@code BEGIN IMMEDIATE} transaction: the write lock is taken up front, so a seq read inside
     * the transaction can't be taken by another writer before the insert that uses it.
     */
    public static <T> T inImmediateTransaction(Connection c, TxWork<T> work) throws SQLException {
        execute(c, "BEGIN IMMEDIATE");
        try {
            T result = work.run();
            execute(c, "COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                execute(c, "ROLLBACK");
            } catch (SQLException ignored) {
                // the transaction may already be gone; the original error is what matters
            }
            throw e;
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
