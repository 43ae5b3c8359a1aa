package io.nanoclaw.host.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelNotices;
import io.nanoclaw.host.channels.ChoiceCard;
import io.nanoclaw.host.channels.ChoiceCards;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.delivery.AgentNotes;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Now;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.entities.Users;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.Timestamps;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The approval primitive (host.md 6.5), with the fix from decisions.md: a click counts only from the designated
 * approver or an admin of the agent group (owners and global admins included). A card can be answered once,
 * until it expires (APPROVAL_TTL) or the host restarts.
 */
@Singleton
public class Approvals implements ApprovalRequests {
    private static final Logger LOG = Logger.getLogger(Approvals.class);
    static final List<String> LABELS = List.of("Approve", "Reject");
    static final String OPTIONS_JSON = "[{\"label\":\"Approve\",\"value\":\"approve\"},"
            + "{\"label\":\"Reject\",\"value\":\"reject\"}]";

    @Inject
    PendingApprovals pending;
    @Inject
    Approvers approvers;
    @Inject
    ChoiceCards cards;
    @Inject
    ChannelNotices notices;
    @Inject
    AgentNotes notes;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Sessions sessions;
    @Inject
    Users users;
    @Inject
    HostConfig config;
    @Inject
    Instance<ApprovedAction> actions;

    private final ObjectMapper mapper = new ObjectMapper();
    // Approved actions can take minutes (an image build): never on the adapter's event thread.
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "approved-action");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void request(Session requester, String action, ObjectNode payload, String title, String question) {
        String origin = Optional.ofNullable(requester.messagingGroupId()).flatMap(messagingGroups::byId)
                .map(MessagingGroup::channelType).orElse(null);
        Optional<Approvers.Target> target = approvers.pick(requester.agentGroupId(), origin);
        if (target.isEmpty()) {
            LOG.warnf("session %s: %s needs approval but no owner or admin has a reachable DM", requester.id(),
                    action);
            notes.tellAndWake(requester, action + " failed: no admin could be asked (no owner or admin with a "
                    + "reachable direct chat).");
            return;
        }
        MessagingGroup dm = target.get().dm();
        String id = MessageIds.next("appr");
        String expires = Timestamps.iso(Instant.now().plus(config.approvalTtl()));
        // The row exists before the card, so a fast click always finds it.
        pending.insert(new PendingApproval(id, requester.id(), requester.agentGroupId(), action, payload.toString(),
                dm.channelType(), dm.platformId(), null, target.get().userId(), expires, "pending", title),
                OPTIONS_JSON, Now.iso());
        try {
            String pmid = cards.send(dm.channelType(), dm.platformId(), null, new ChoiceCard(id, title, question,
                    LABELS));
            pending.setPlatformMessageId(id, pmid);
            LOG.infof("session %s: approval %s for %s sent to %s", requester.id(), id, action, target.get().userId());
        } catch (Exception e) {
            pending.delete(id);
            LOG.warnf("session %s: approval card for %s could not be sent: %s", requester.id(), action,
                    e.getMessage());
            notes.tellAndWake(requester, action + " failed: the approval card could not be sent to the admin ("
                    + e.getMessage() + ").");
        }
    }

    /**
     * A click (or a typed answer) on an approval card, from {@code userId} in the chat it came from.
     *
     * @return true when the key named an approval (answered or refused), false when it is not one of ours
     */
    public boolean answer(String key, int index, String userId, String channelType, String platformId,
                          String threadId) {
        Optional<PendingApproval> found = pending.byKey(key);
        if (found.isEmpty()) {
            LOG.warnf("click on unknown approval %s by %s", key, userId);
            notices.send(channelType, platformId, threadId, "This approval request is unknown, already answered, "
                    + "or its agent no longer exists. Nothing was done.");
            return true;
        }
        PendingApproval p = found.get();
        if (!p.approverUserId().equals(userId) && !users.isAdmin(userId, p.agentGroupId())) {
            LOG.warnf("approval %s: click by %s ignored (not the approver %s nor an admin of %s)", p.id(), userId,
                    p.approverUserId(), p.agentGroupId());
            return true;
        }
        if (!"pending".equals(p.status())) {
            notices.send(channelType, platformId, threadId, "This approval request has " + p.status()
                    + (p.status().equals("expired") ? "" : " already") + ". Nothing was done.");
            return true;
        }
        Optional<Session> requester = p.sessionId() == null ? Optional.empty() : sessions.byId(p.sessionId());
        if (requester.isEmpty()) {
            pending.delete(p.id());
            notices.send(channelType, platformId, threadId, "The agent that asked for this no longer exists. "
                    + "Nothing was done.");
            return true;
        }
        Session s = requester.get();
        Instant expires = Timestamps.parseUtc(p.expiresAt());
        if (expires != null && !Instant.now().isBefore(expires)) {
            if (pending.claim(p.id(), "expired")) {
                notes.tellAndWake(s, p.action() + " request expired before an admin answered; nothing was done. "
                        + "Ask again if it is still needed.");
            }
            cards.close(p.channelType(), p.platformId(), null, p.platformMessageId(), p.title() + "\n\nExpired");
            return true;
        }
        if (index == 1) {
            if (pending.claim(p.id(), "rejected")) {
                notes.tellAndWake(s, p.action() + " was rejected by admin.");
                pending.delete(p.id());
                cards.close(p.channelType(), p.platformId(), null, p.platformMessageId(), p.title()
                        + "\n\n❌ Rejected");
            }
            return true;
        }
        if (index != 0) {
            LOG.warnf("approval %s: option %d does not exist; ignored", p.id(), index);
            return true;
        }
        if (pending.claim(p.id(), "approved")) {
            cards.close(p.channelType(), p.platformId(), null, p.platformMessageId(), p.title() + "\n\n✅ Approved");
            runner.execute(() -> run(p, s));
        }
        return true;
    }

    private void run(PendingApproval p, Session s) {
        try {
            Optional<ApprovedAction> action = actions.stream().filter(a -> a.action().equals(p.action()))
                    .findFirst();
            if (action.isEmpty()) {
                notes.tellAndWake(s, p.action() + " was approved but this host cannot perform it.");
                return;
            }
            JsonNode payload = mapper.readTree(p.payload() == null ? "{}" : p.payload());
            String result = action.get().apply(s, payload);
            notes.tellAndWake(s, p.action() + " approved by admin: " + result);
        } catch (Exception e) {
            LOG.warnf("approval %s: %s failed: %s", p.id(), p.action(), e.getMessage());
            notes.tellAndWake(s, p.action() + " was approved but failed: " + e.getMessage());
        } finally {
            pending.delete(p.id());
        }
    }

    /**
     * Closes approvals whose time ran out: the card says "Expired" (where the adapter can edit, else a follow-up
     * message) and the agent is told, without waiting for someone to click a dead card.
     *
     * @return how many expired now
     */
    public int expireDue(Instant now) {
        int n = 0;
        for (PendingApproval p : pending.allPending()) {
            Instant expires = Timestamps.parseUtc(p.expiresAt());
            if (expires != null && !now.isBefore(expires) && expire(p, "Expired", " request expired before an "
                    + "admin answered; nothing was done. Ask again if it is still needed.")) {
                n++;
            }
        }
        if (n > 0) {
            LOG.infof("%d approval request(s) expired unanswered", n);
        }
        return n;
    }

    /**
     * At host start: approvals asked before the restart can't be trusted to reach their card's state, so they
     * expire; the card says so where the adapter can edit, and the agent is told.
     */
    public int expireLeftovers() {
        int n = 0;
        for (PendingApproval p : pending.allPending()) {
            if (expire(p, "Expired (host restarted)", " request expired because the host restarted before an "
                    + "admin answered; nothing was done. Ask again if it is still needed.")) {
                n++;
            }
        }
        if (n > 0) {
            LOG.infof("expired %d approval request(s) left from the last run", n);
        }
        return n;
    }

    /** Marks one approval expired (if no one else settled it first), closes its card and tells the agent. */
    private boolean expire(PendingApproval p, String cardStatus, String noteTail) {
        if (!pending.claim(p.id(), "expired")) {
            return false;
        }
        cards.close(p.channelType(), p.platformId(), null, p.platformMessageId(), p.title() + "\n\n" + cardStatus);
        Optional<Session> s = p.sessionId() == null ? Optional.empty() : sessions.byId(p.sessionId());
        s.ifPresent(session -> notes.tellAndWake(session, p.action() + noteTail));
        return true;
    }
}
