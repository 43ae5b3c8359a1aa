package io.nanoclaw.host.sweep;

import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.host.sessions.SessionFolders;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The signs of life a container leaves for the host: the heartbeat file's mtime, its {@code processing} claims and
 * the declared timeout of the Bash command it is running. outbound.db is read through the read-only connection:
 * the host never writes it.
 */
@Singleton
public class LivenessReader {
    @Inject
    SessionDbs dbs;
    @Inject
    SessionFolders folders;

    /** The heartbeat's mtime, or null while the file does not exist (or can't be read). */
    public Instant heartbeatMtime(Session s) {
        try {
            return Files.getLastModifiedTime(folders.heartbeat(s.agentGroupId(), s.id())).toInstant();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // unreadable counts as absent: no ceiling rather than a kill on an I/O hiccup
        }
    }

    /** processing_ack rows with status {@code processing}; empty while outbound.db does not exist. */
    public List<StuckDecision.Claim> processingClaims(Session s) {
        List<StuckDecision.Claim> claims = dbs.withOutbound(s.agentGroupId(), s.id(), c -> {
            List<StuckDecision.Claim> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT message_id, status_changed FROM processing_ack WHERE status = 'processing'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StuckDecision.Claim(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
        return claims == null ? List.of() : claims;
    }

    /** The declared timeout of the running tool when that tool is Bash, else 0 (other tools get no extra time). */
    public long bashTimeoutMs(Session s) {
        Long ms = dbs.withOutbound(s.agentGroupId(), s.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT tool_declared_timeout_ms FROM container_state "
                    + "WHERE id = 1 AND current_tool = 'Bash'");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Math.max(0, rs.getLong(1)) : 0L; // getLong gives 0 for NULL
            }
        });
        return ms == null ? 0 : ms;
    }
}
