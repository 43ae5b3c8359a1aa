package io.nanoclaw.host.approvals;

import io.nanoclaw.host.channels.ChoiceCard;
import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The pending_approvals table. Status changes are claims: only one click (or expiry) wins a pending row. */
@Singleton
public class PendingApprovals {
    private static final String COLS = "approval_id, session_id, agent_group_id, action, payload, channel_type, "
            + "platform_id, platform_message_id, approver_user_id, expires_at, status, title";

    @Inject
    Db db;

    private static PendingApproval map(ResultSet rs) throws SQLException {
        return new PendingApproval(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12));
    }

    public void insert(PendingApproval p, String optionsJson, String createdAt) {
        db.update("INSERT INTO pending_approvals(" + COLS + ", options_json, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p.id(), p.sessionId(), p.agentGroupId(),
                p.action(), p.payload(), p.channelType(), p.platformId(), p.platformMessageId(), p.approverUserId(),
                p.expiresAt(), p.status(), p.title(), optionsJson, createdAt);
    }

    public void setPlatformMessageId(String id, String platformMessageId) {
        db.update("UPDATE pending_approvals SET platform_message_id = ? WHERE approval_id = ?", platformMessageId, id);
    }

    /** A clicked key: the approval id itself, or the hashed form used when the id was too long for a button. */
    public Optional<PendingApproval> byKey(String key) {
        if (!key.startsWith("~")) {
            return db.one("SELECT " + COLS + " FROM pending_approvals WHERE approval_id = ?", PendingApprovals::map,
                    key);
        }
        return db.query("SELECT " + COLS + " FROM pending_approvals", PendingApprovals::map).stream()
                .filter(p -> ChoiceCard.matchesKey(key, p.id())).findFirst();
    }

    /** Pending cards in one chat, newest first (for answers typed as a number). */
    public List<PendingApproval> pendingIn(String channelType, String platformId) {
        return db.query("SELECT " + COLS + " FROM pending_approvals WHERE channel_type = ? AND platform_id = ? "
                + "AND status = 'pending' ORDER BY created_at DESC", PendingApprovals::map, channelType, platformId);
    }

    public List<PendingApproval> allPending() {
        return db.query("SELECT " + COLS + " FROM pending_approvals WHERE status = 'pending'", PendingApprovals::map);
    }

    /** @return true when this caller moved the row out of 'pending' (and so owns the outcome) */
    public boolean claim(String id, String status) {
        return db.update("UPDATE pending_approvals SET status = ? WHERE approval_id = ? AND status = 'pending'",
                status, id) == 1;
    }

    public void delete(String id) {
        db.update("DELETE FROM pending_approvals WHERE approval_id = ?", id);
    }
}
