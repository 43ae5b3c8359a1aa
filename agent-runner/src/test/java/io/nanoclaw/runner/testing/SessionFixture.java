package io.nanoclaw.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.protocol.ChatContent;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.protocol.SessionFiles;
import io.nanoclaw.protocol.SessionSchema;
import io.nanoclaw.protocol.Timestamps;
import io.nanoclaw.runner.config.RunnerEnvironment;
import io.nanoclaw.runner.json.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session folder as the host leaves it: inbound.db and outbound.db created with their schemas, and the host's
 * own writer connection on inbound.db for inserting rows. Assertions read outbound.db read-only, as the host does.
 */
public final class SessionFixture implements AutoCloseable {
    public static final String TOKEN = "proxy-token-for-tests";

    private final Path root;
    private final Path workspace;
    private final Connection host;

    public SessionFixture(Path root) throws Exception {
        this.root = root;
        this.workspace = root.resolve("workspace");
        Files.createDirectories(workspace.resolve("agent"));
        host = SessionDb.openWriter(workspace.resolve(SessionFiles.INBOUND_DB), JournalMode.WAL);
        SessionSchema.createInbound(host);
        try (Connection out = SessionDb.openWriter(workspace.resolve(SessionFiles.OUTBOUND_DB), JournalMode.WAL)) {
            SessionSchema.createOutbound(out);
        }
    }

    public Path workspace() {
        return workspace;
    }

    public Path stateDir() {
        return root.resolve("state");
    }

    /** Both model APIs at one base URL (only the provider container.json names is called). */
    public RunnerEnvironment env(URI baseUrl) {
        return env(baseUrl, URI.create(baseUrl + "/v1"));
    }

    public RunnerEnvironment env(URI anthropicBaseUrl, URI openaiBaseUrl) {
        return new RunnerEnvironment(workspace, workspace.resolve("agent/container.json"), anthropicBaseUrl,
                openaiBaseUrl, TOKEN, ZoneId.of("America/New_York"), stateDir(), JournalMode.WAL);
    }

    public Connection host() {
        return host;
    }

    public void addDestination(String name, String type, String channelType, String platformId,
                               String agentGroupId) throws SQLException {
        try (PreparedStatement ps = host.prepareStatement("INSERT INTO destinations "
                + "(name, display_name, type, channel_type, platform_id, agent_group_id) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, name);
            ps.setString(3, type);
            ps.setString(4, channelType);
            ps.setString(5, platformId);
            ps.setString(6, agentGroupId);
            ps.executeUpdate();
        }
    }

    /** The session's own chat, as the host writes it when it creates the session. */
    public void sessionRouting(String channelType, String platformId, String threadId) throws SQLException {
        try (PreparedStatement ps = host.prepareStatement("INSERT OR REPLACE INTO session_routing "
                + "(id, channel_type, platform_id, thread_id) VALUES (1, ?, ?, ?)")) {
            ps.setString(1, channelType);
            ps.setString(2, platformId);
            ps.setString(3, threadId);
            ps.executeUpdate();
        }
    }

    /** Delivery's record of an outbound row, with the platform's id for it. */
    public void delivered(String messageOutId, String platformMessageId) throws SQLException {
        try (PreparedStatement ps = host.prepareStatement("INSERT INTO delivered (message_out_id, "
                + "platform_message_id, status, delivered_at) VALUES (?, ?, 'delivered', datetime('now'))")) {
            ps.setString(1, messageOutId);
            ps.setString(2, platformMessageId);
            ps.executeUpdate();
        }
    }

    public RowBuilder row(String id, long seq) {
        return new RowBuilder(id, seq);
    }

    /** A chat from Alice on cli/local, as the host's router writes it. */
    public void chat(String id, long seq, String text) throws SQLException {
        row(id, seq).content(new ChatContent(text, "Alice", "cli:alice").toJsonString(Json.MAPPER)).insert();
    }

    public final class RowBuilder {
        private final String id;
        private final long seq;
        private String kind = "chat";
        private String status = "pending";
        private String timestamp = Timestamps.iso(Instant.now());
        private String processAfter;
        private int trigger = 1;
        private int onWake;
        private String platformId = "local";
        private String channelType = "cli";
        private String threadId;
        private String content = "{\"text\":\"hi\"}";
        private String seriesId;
        private String recurrence;

        private RowBuilder(String id, long seq) {
            this.id = id;
            this.seq = seq;
        }

        public RowBuilder kind(String v) { kind = v; return this; }
        public RowBuilder status(String v) { status = v; return this; }
        public RowBuilder timestamp(String v) { timestamp = v; return this; }
        public RowBuilder processAfter(String v) { processAfter = v; return this; }
        public RowBuilder trigger(int v) { trigger = v; return this; }
        public RowBuilder onWake(int v) { onWake = v; return this; }
        public RowBuilder routing(String pid, String ct, String thread) {
            platformId = pid;
            channelType = ct;
            threadId = thread;
            return this;
        }
        public RowBuilder content(String v) { content = v; return this; }
        public RowBuilder seriesId(String v) { seriesId = v; return this; }
        public RowBuilder recurrence(String v) { recurrence = v; return this; }

        public void insert() throws SQLException {
            try (PreparedStatement ps = host.prepareStatement("INSERT INTO messages_in (id, seq, kind, timestamp, "
                    + "status, process_after, \"trigger\", platform_id, channel_type, thread_id, content, on_wake, "
                    + "series_id, recurrence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setLong(2, seq);
                ps.setString(3, kind);
                ps.setString(4, timestamp);
                ps.setString(5, status);
                ps.setString(6, processAfter);
                ps.setInt(7, trigger);
                ps.setString(8, platformId);
                ps.setString(9, channelType);
                ps.setString(10, threadId);
                ps.setString(11, content);
                ps.setInt(12, onWake);
                ps.setString(13, seriesId);
                ps.setString(14, recurrence);
                ps.executeUpdate();
            }
        }
    }

    /** A messages_out row as the host's delivery reads it. */
    public record OutRow(String id, long seq, String inReplyTo, String timestamp, String kind, String platformId,
                         String channelType, String threadId, JsonNode content) {
        public String text() {
            return Json.text(content, "text");
        }
    }

    public List<OutRow> replies() throws Exception {
        try (Connection c = SessionDb.openReader(workspace.resolve(SessionFiles.OUTBOUND_DB));
             PreparedStatement ps = c.prepareStatement("SELECT id, seq, in_reply_to, timestamp, kind, platform_id, "
                     + "channel_type, thread_id, content FROM messages_out ORDER BY seq");
             ResultSet rs = ps.executeQuery()) {
            List<OutRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new OutRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        Json.parse(rs.getString(9))));
            }
            return rows;
        }
    }

    /** Waits for at least {@code count} reply rows (the loop runs in another thread). */
    public List<OutRow> awaitReplies(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<OutRow> rows = replies();
            if (rows.size() >= count) {
                return rows;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " reply rows, have " + rows.size());
            }
            Thread.sleep(10);
        }
    }

    public Optional<String> ackStatus(String messageId) throws Exception {
        return queryOutbound("SELECT status FROM processing_ack WHERE message_id = ?", messageId);
    }

    public Optional<String> ackStatusChanged(String messageId) throws Exception {
        return queryOutbound("SELECT status_changed FROM processing_ack WHERE message_id = ?", messageId);
    }

    public Optional<String> sessionState(String key) throws Exception {
        return queryOutbound("SELECT value FROM session_state WHERE key = ?", key);
    }

    private Optional<String> queryOutbound(String sql, String arg) throws Exception {
        try (Connection c = SessionDb.openReader(workspace.resolve(SessionFiles.OUTBOUND_DB));
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void close() throws SQLException {
        host.close();
    }
}
