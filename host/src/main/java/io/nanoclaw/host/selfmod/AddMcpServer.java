package io.nanoclaw.host.selfmod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.approvals.ApprovedAction;
import io.nanoclaw.host.containers.GroupRestarts;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.Now;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * An approved MCP server: merged into the group's container_configs.mcp_servers (a server of the same name is
 * replaced), then the running containers restart to load it. No image rebuild.
 */
@Singleton
public class AddMcpServer implements ApprovedAction {
    @Inject
    Db db;
    @Inject
    GroupRestarts restarts;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String action() {
        return "add_mcp_server";
    }

    @Override
    public String apply(Session requester, JsonNode payload) throws Exception {
        ObjectNode server = AddMcpServerRequest.validate(payload); // stored payloads are re-checked, not trusted
        return add(requester.agentGroupId(), server);
    }

    /**
     * Sets a validated server (from {@link AddMcpServerRequest#validate}) in the group's config and restarts its
     * running containers to load it; also the path of {@code ncl groups config add-mcp-server}.
     */
    public String add(String agId, ObjectNode server) {
        server = server.deepCopy();
        String name = server.remove("name").asText();
        ObjectNode entry = server;
        db.inTransaction(c -> {
            String stored = null;
            try (var ps = c.prepareStatement("SELECT mcp_servers FROM container_configs WHERE agent_group_id = ?")) {
                ps.setString(1, agId);
                try (var rs = ps.executeQuery()) {
                    stored = rs.next() ? rs.getString(1) : null;
                }
            }
            ObjectNode servers = parse(stored);
            servers.set(name, entry);
            Db.exec(c, "INSERT INTO container_configs(agent_group_id, mcp_servers, updated_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT(agent_group_id) DO UPDATE SET mcp_servers = excluded.mcp_servers, "
                    + "updated_at = excluded.updated_at", agId, servers.toString(), Now.iso());
            return null;
        });
        restarts.restart(agId, "MCP server added", "Your container restarted with the MCP server '" + name
                + "' you asked for; its tools are available now.");
        return "the MCP server '" + name + "' was added; the container restarts to load it.";
    }

    private ObjectNode parse(String stored) {
        try {
            JsonNode n = stored == null ? null : mapper.readTree(stored);
            return n != null && n.isObject() ? (ObjectNode) n : mapper.createObjectNode();
        } catch (IOException e) {
            return mapper.createObjectNode(); // an unreadable value is replaced; ContainerConfigFile ignored it too
        }
    }
}
