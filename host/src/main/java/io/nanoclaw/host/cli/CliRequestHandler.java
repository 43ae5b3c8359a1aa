package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.delivery.SystemActionHandler;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * An agent's {@code ncl} (host.md 6.4, agent-runner.md 3.6): {@code cli_request{requestId, command, args}} is run as
 * this agent, within its group's cli_scope, and answered in inbound.db as {@code cli-resp-<id>} (trigger 0) with
 * {@code {type:'cli_response', requestId, frame}}.
 */
@Singleton
public class CliRequestHandler implements SystemActionHandler {
    @Inject
    InboundWriter inbound;
    @Inject
    NclDispatcher dispatcher;
    @Inject
    Db db;

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
        String scope = db.one("SELECT cli_scope FROM container_configs WHERE agent_group_id = ?",
                rs -> rs.getString(1), session.agentGroupId()).orElse("group");
        ObjectNode frame = dispatcher.dispatch(requestId, content.get("command"), content.get("args"),
                NclCaller.agent(session.agentGroupId(), session.id(), scope));
        ObjectNode reply = mapper.createObjectNode().put("type", "cli_response").put("requestId", requestId);
        reply.set("frame", frame);
        inbound.write(session.agentGroupId(), session.id(), new InboundRow("cli-resp-" + requestId, "system", null,
                null, null, reply.toString(), false, false, null, null));
    }
}
