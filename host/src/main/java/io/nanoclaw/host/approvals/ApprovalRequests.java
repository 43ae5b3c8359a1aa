package io.nanoclaw.host.approvals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.entities.Session;

/**
 * The generic approval primitive (host.md 6.5): an agent's request that needs an admin's yes. The card goes to the
 * approver's DM; on approve the {@link ApprovedAction} registered for {@code action} runs with the payload, on
 * reject or expiry the agent is told.
 */
public interface ApprovalRequests {
    /**
     * @param requester the session whose agent asked (told the outcome, and woken)
     * @param action    the name an {@link ApprovedAction} is registered under
     * @param payload   what the action needs when approved (stored with the pending approval)
     * @param title     the card's title, e.g. "📦 Install packages"
     * @param question  the card's text: who asks for what, in words an approver can judge
     */
    void request(Session requester, String action, ObjectNode payload, String title, String question);
}
