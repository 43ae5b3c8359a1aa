package io.nanoclaw.protocol;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The two per-session databases, exactly as host.md section 3 and agent-runner.md 1.3 describe them. The host
 * creates both files (and so both schemas) when it creates a session; the runner only adds its own state tables
 * to outbound.db if they are missing. {@code IF NOT EXISTS} everywhere, so creating twice is harmless.
 */
public final class SessionSchema {
    private SessionSchema() {}

    /** inbound.db: written by the host only, read by the container. */
    public static final List<String> INBOUND = List.of(
            """
            CREATE TABLE IF NOT EXISTS messages_in (
              id TEXT PRIMARY KEY,
              seq INTEGER UNIQUE,
              kind TEXT NOT NULL,
              timestamp TEXT NOT NULL,
              status TEXT NOT NULL DEFAULT 'pending',
              process_after TEXT,
              recurrence TEXT,
              series_id TEXT,
              tries INTEGER NOT NULL DEFAULT 0,
              trigger INTEGER NOT NULL DEFAULT 1,
              platform_id TEXT,
              channel_type TEXT,
              thread_id TEXT,
              content TEXT,
              source_session_id TEXT,
              on_wake INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX IF NOT EXISTS messages_in_status ON messages_in(status, seq)",
            """
            CREATE TABLE IF NOT EXISTS delivered (
              message_out_id TEXT PRIMARY KEY,
              platform_message_id TEXT,
              status TEXT NOT NULL DEFAULT 'delivered',
              delivered_at TEXT NOT NULL
            )""",
            """
            CREATE TABLE IF NOT EXISTS destinations (
              name TEXT PRIMARY KEY,
              display_name TEXT,
              type TEXT NOT NULL,
              channel_type TEXT,
              platform_id TEXT,
              agent_group_id TEXT
            )""",
            """
            CREATE TABLE IF NOT EXISTS session_routing (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              channel_type TEXT,
              platform_id TEXT,
              thread_id TEXT
            )""");

    /**
     * outbound.db: written by the container only, read by the host. Unlike the original there is no
     * messages_out.recurrence: recurring work is a task row in inbound.db (scheduling), and a column nothing
     * honours would only mislead. deliver_after is honoured by delivery.
     */
    public static final List<String> OUTBOUND = List.of(
            """
            CREATE TABLE IF NOT EXISTS messages_out (
              id TEXT PRIMARY KEY,
              seq INTEGER UNIQUE,
              in_reply_to TEXT,
              timestamp TEXT NOT NULL,
              deliver_after TEXT,
              kind TEXT NOT NULL,
              platform_id TEXT,
              channel_type TEXT,
              thread_id TEXT,
              content TEXT
            )""",
            """
            CREATE TABLE IF NOT EXISTS processing_ack (
              message_id TEXT PRIMARY KEY,
              status TEXT NOT NULL,
              status_changed TEXT NOT NULL
            )""",
            """
            CREATE TABLE IF NOT EXISTS session_state (
              key TEXT PRIMARY KEY,
              value TEXT,
              updated_at TEXT
            )""",
            """
            CREATE TABLE IF NOT EXISTS container_state (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              current_tool TEXT,
              tool_declared_timeout_ms INTEGER,
              tool_started_at TEXT,
              updated_at TEXT
            )""");

    public static void createInbound(Connection c) throws SQLException {
        apply(c, INBOUND);
    }

    public static void createOutbound(Connection c) throws SQLException {
        apply(c, OUTBOUND);
    }

    private static void apply(Connection c, List<String> ddl) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String sql : ddl) {
                st.execute(sql);
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
