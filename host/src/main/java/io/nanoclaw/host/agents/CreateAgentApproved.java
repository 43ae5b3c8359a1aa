package io.nanoclaw.host.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.approvals.ApprovedAction;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** An admin said yes to a create_agent: create it now, for the group that asked. */
@Singleton
public class CreateAgentApproved implements ApprovedAction {
    @Inject
    AgentCreator creator;

    @Override
    public String action() {
        return CreateAgentHandler.ACTION;
    }

    @Override
    public String apply(Session requester, JsonNode payload) throws Exception {
        String instructions = payload.path("instructions").isTextual() ? payload.path("instructions").asText() : null;
        // A refusal (name clash since the request) propagates: its message is the note to the agent.
        return creator.create(requester.agentGroupId(), payload.path("name").asText(""), instructions).note();
    }
}
