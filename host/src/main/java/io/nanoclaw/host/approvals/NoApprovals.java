package io.nanoclaw.host.approvals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.delivery.AgentNotes;
import io.nanoclaw.host.entities.Session;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Until the approval cards exist, a request that needs approval is refused with a note to the agent, so nothing
 * that needs an admin's yes ever happens without one.
 */
@ApplicationScoped
public class NoApprovals {
    @Inject
    AgentNotes notes;

    @Produces
    @DefaultBean
    @Singleton
    ApprovalRequests refuseAll() {
        return (requester, action, payload, title, question) -> notes.tellAndWake(requester,
                action + " failed: it needs an admin's approval, and approvals are not available on this host yet.");
    }
}
