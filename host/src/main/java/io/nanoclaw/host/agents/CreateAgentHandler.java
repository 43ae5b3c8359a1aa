package io.nanoclaw.host.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.approvals.ApprovalRequests;
import io.nanoclaw.host.delivery.AgentNotes;
import io.nanoclaw.host.delivery.SystemActionHandler;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code create_agent{requestId, name, instructions?}} (host.md 6.2 with decisions.md's permission check): an agent
 * whose cli_scope is `global` creates at once; any other asks an admin through {@link ApprovalRequests}, and
 * {@link CreateAgentApproved} creates when the answer is yes. Every outcome is a note to the agent.
 */
@Singleton
public class CreateAgentHandler implements SystemActionHandler {
    public static final String ACTION = "create_agent";

    @Inject
    AgentCreator creator;
    @Inject
    CliScopes scopes;
    @Inject
    ApprovalRequests approvals;
    @Inject
    AgentNotes notes;
    @Inject
    AgentGroups agentGroups;

    private final ObjectMapper mapper = new ObjectMapper();
    /**
     * Request ids already handled, per group. Delivery never hands one row over twice; this catches the same
     * request written again as another row (a runner retry). In memory: after a restart the folder dedupe applies.
     */
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    @Override
    public String action() {
        return ACTION;
    }

    @Override
    public void handle(Session session, JsonNode content) {
        String requestId = content.path("requestId").asText("");
        if (!requestId.isEmpty() && !seen.add(session.agentGroupId() + "|" + requestId)) {
            return;
        }
        String name = content.path("name").isTextual() ? content.path("name").asText() : null;
        String instructions = content.path("instructions").isTextual() ? content.path("instructions").asText() : null;
        String problem = AgentNames.problem(name);
        if (problem != null) {
            notes.tellAndWake(session, "create_agent failed: " + problem + ".");
            return;
        }
        if (scopes.isGlobal(session.agentGroupId())) {
            try {
                notes.tellAndWake(session, creator.create(session.agentGroupId(), name, instructions).note());
            } catch (CreateAgentRefused e) {
                notes.tellAndWake(session, e.getMessage());
            }
            return;
        }
        ObjectNode payload = mapper.createObjectNode().put("requestId", requestId).put("name", name.strip());
        payload.put("instructions", instructions);
        String who = agentGroups.byId(session.agentGroupId()).map(g -> g.name()).orElse(session.agentGroupId());
        approvals.request(session, ACTION, payload, "🤖 New agent",
                who + " wants to create an agent named " + name.strip());
    }
}
