package io.nanoclaw.host.agents;

import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** What agent-to-agent delivery reads from the sending session's own inbound.db. */
@Singleton
public class A2aLookups {
    @Inject
    SessionDbs dbs;

    /** The session an a2a row came from, when {@code rowId} names one (host.md 6.6 2.1: the return path). */
    public Optional<String> originOf(Session s, String rowId) {
        return one(s, "SELECT source_session_id FROM messages_in WHERE id = ? AND channel_type = 'agent' "
                + "AND source_session_id IS NOT NULL", rowId);
    }

    /** The session of the newest a2a row from that peer (host.md 6.6 2.2: peer affinity). */
    public Optional<String> latestFrom(Session s, String peerGroupId) {
        return one(s, "SELECT source_session_id FROM messages_in WHERE channel_type = 'agent' AND platform_id = ? "
                + "AND source_session_id IS NOT NULL ORDER BY seq DESC LIMIT 1", peerGroupId);
    }

    /**
     * The id of the newest message from a person (a chat row from a real channel), or "" when there is none: a
     * change of it between two hops means a human spoke, which ends an agent-to-agent chain.
     */
    public String latestHumanMessage(Session s) {
        return one(s, "SELECT id FROM messages_in WHERE kind = 'chat' AND channel_type IS NOT 'agent' "
                + "ORDER BY seq DESC LIMIT 1", null).orElse("");
    }

    private Optional<String> one(Session s, String sql, String arg) {
        return dbs.withInbound(s.agentGroupId(), s.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (arg != null) {
                    ps.setString(1, arg);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }
}
