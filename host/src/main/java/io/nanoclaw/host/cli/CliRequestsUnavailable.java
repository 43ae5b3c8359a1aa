package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.delivery.SystemActionHandler;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * An agent's {@code ncl} (agent-runner.md 3.6) until the operator CLI serves agents: the request is answered at once
 * with an error frame, so the agent's command exits 1 with a clear message instead of waiting 30 s for a reply that
 * never comes. The reply row has the shape host.md 6.4 gives ({@code cli-resp-<id>}, trigger 0).
 */
@Singleton
public class CliRequestsUnavailable implements SystemActionHandler {
    static final String MESSAGE = "ncl is not available to agents on this host yet";

    @Inject
    InboundWriter inbound;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String action() {
        return "cli_request";
    }

    @Override
    public void handle(Session session, JsonNode content) {
        String requestId = content.path("requestId").asText("");
        if (!requestId.matches("[A-Za-z0-9._:-]{1,128}")) {
            return; // nothing to answer to: the client times out and says so
        }
        ObjectNode reply = mapper.createObjectNode().put("type", "cli_response").put("requestId", requestId);
        ObjectNode frame = reply.putObject("frame").put("id", requestId).put("ok", false);
        frame.putObject("error").put("code", "unavailable").put("message", MESSAGE);
        inbound.write(session.agentGroupId(), session.id(), new InboundRow("cli-resp-" + requestId, "system", null,
                null, null, reply.toString(), false, false, null, null));
    }
}
