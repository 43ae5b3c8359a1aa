package io.nanoclaw.host.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.entities.Session;

/**
 * What runs when an approver says yes to a request of this action (a CDI bean per action: install_packages,
 * add_mcp_server, create_agent, ...).
 */
public interface ApprovedAction {
    String action();

    /**
     * Applies the approved request.
     *
     * @return the note for the requesting agent (what was done)
     * @throws Exception when it failed: the message is told to the agent
     */
    String apply(Session requester, JsonNode payload) throws Exception;
}
