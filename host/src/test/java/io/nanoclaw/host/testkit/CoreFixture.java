package io.nanoclaw.host.testkit;

import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Users;
import io.nanoclaw.host.entities.Wiring;
import io.nanoclaw.host.entities.Wirings;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.Seq;
import io.nanoclaw.protocol.SessionDb;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Builds entities through the same code paths the host uses, and plays the container's side of outbound.db. */
@Singleton
public class CoreFixture {
    @Inject
    public Db db;
    @Inject
    AgentGroups agentGroups;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Wirings wirings;
    @Inject
    Users users;
    @Inject
    SessionFolders folders;

    private static int counter;

    public static synchronized String unique(String prefix) {
        return prefix + (++counter) + "-" + System.nanoTime() % 100000;
    }

    public AgentGroup group(String name) {
        return db.inTransaction(c -> agentGroups.create(c, name, unique("f")));
    }

    public MessagingGroup chat(String channelType, String name, boolean isGroup, String policy) {
        return db.inTransaction(c -> messagingGroups.create(c, channelType, unique("chat-"), name, isGroup, policy));
    }

    public Wiring wire(MessagingGroup mg, AgentGroup ag, String engageMode, String pattern, String senderScope,
                       String ignored, String sessionMode, int priority) {
        return db.inTransaction(c -> wirings.create(c, mg, ag.id(), engageMode, pattern, senderScope, ignored,
                sessionMode, priority));
    }

    public Wiring wireAll(MessagingGroup mg, AgentGroup ag) {
        return wire(mg, ag, "pattern", ".", "all", "drop", "shared", 0);
    }

    public void member(String userId, AgentGroup ag) {
        users.upsert(userId, userId.substring(0, userId.indexOf(':')), null);
        db.update("INSERT INTO agent_group_members(user_id, agent_group_id, added_at) VALUES (?, ?, 'now')",
                userId, ag.id());
    }

    public void role(String userId, String role, AgentGroup scope) {
        users.upsert(userId, userId.substring(0, userId.indexOf(':')), null);
        db.inTransaction(c -> {
            users.grant(c, userId, role, scope == null ? null : scope.id(), "test");
            return null;
        });
    }

    /** A row as the agent-runner writes it: odd seq, in its own transaction. Returns the row id. */
    public String containerWrites(String agId, String sessionId, String channelType, String platformId,
                                  String threadId, String kind, String content) throws SQLException {
        return containerWrites(agId, sessionId, channelType, platformId, threadId, kind, content, null);
    }

    /** The same, as a reply: the row names the inbound row it answers in in_reply_to. */
    public String containerWrites(String agId, String sessionId, String channelType, String platformId,
                                  String threadId, String kind, String content, String inReplyTo)
            throws SQLException {
        String id = MessageIds.next("msg");
        try (Connection out = SessionDb.openWriter(folders.outbound(agId, sessionId), JournalMode.WAL);
             Connection in = SessionDb.openReader(folders.inbound(agId, sessionId))) {
            SessionDb.inImmediateTransaction(out, () -> {
                long seq = Seq.nextContainerSeq(SessionDb.maxSeq(in, "messages_in"),
                        SessionDb.maxSeq(out, "messages_out"));
                try (PreparedStatement ps = out.prepareStatement("INSERT INTO messages_out(id, seq, timestamp, kind, "
                        + "platform_id, channel_type, thread_id, content, in_reply_to) "
                        + "VALUES (?, ?, datetime('now'), ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setLong(2, seq);
                    ps.setString(3, kind);
                    ps.setString(4, platformId);
                    ps.setString(5, channelType);
                    ps.setString(6, threadId);
                    ps.setString(7, content);
                    ps.setString(8, inReplyTo);
                    return ps.executeUpdate();
                }
            });
        }
        return id;
    }

    /** Rows of a session's inbound.db, read as the container would (read-only). */
    public List<String[]> inboundRows(String agId, String sessionId, String sql) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection in = SessionDb.openReader(folders.inbound(agId, sessionId));
             ResultSet rs = in.createStatement().executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] row = new String[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getString(i + 1);
                }
                out.add(row);
            }
        }
        return out;
    }
}
