package io.nanoclaw.host.approvals;

import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.UserDms;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Who is asked to approve (host.md 4.11), and where their card goes. */
@Singleton
public class Approvers {
    /** The designated approver and the DM their card goes to. */
    public record Target(String userId, MessagingGroup dm) {}

    @Inject
    Db db;
    @Inject
    UserDms dms;

    /** Admins of the group, then global admins, then owners; each once, earliest grant first. */
    public List<String> ordered(String agentGroupId) {
        List<String> rows = db.query("SELECT user_id FROM user_roles WHERE role = 'admin' AND agent_group_id = ? "
                + "ORDER BY granted_at, user_id", rs -> rs.getString(1), agentGroupId);
        LinkedHashSet<String> out = new LinkedHashSet<>(rows);
        out.addAll(db.query("SELECT user_id FROM user_roles WHERE role = 'admin' AND agent_group_id = '' "
                + "ORDER BY granted_at, user_id", rs -> rs.getString(1)));
        out.addAll(db.query("SELECT user_id FROM user_roles WHERE role = 'owner' ORDER BY granted_at, user_id",
                rs -> rs.getString(1)));
        return List.copyOf(out);
    }

    /**
     * The first approver on the origin's channel with a reachable DM, else the first reachable one; empty when
     * nobody can be asked.
     */
    public Optional<Target> pick(String agentGroupId, String originChannelType) {
        List<String> approvers = ordered(agentGroupId);
        if (originChannelType != null) {
            for (String u : approvers) {
                if (u.startsWith(originChannelType + ":")) {
                    Optional<MessagingGroup> dm = dms.ensure(u);
                    if (dm.isPresent()) {
                        return Optional.of(new Target(u, dm.get()));
                    }
                }
            }
        }
        for (String u : approvers) {
            Optional<MessagingGroup> dm = dms.ensure(u);
            if (dm.isPresent()) {
                return Optional.of(new Target(u, dm.get()));
            }
        }
        return Optional.empty();
    }
}
