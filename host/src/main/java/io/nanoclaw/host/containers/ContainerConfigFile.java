package io.nanoclaw.host.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * container.json: the agent group's container config, regenerated from container_configs on every spawn and
 * mounted read-only at /workspace/agent/container.json, so the agent can read but never change its own settings.
 * The file lives in a host-only folder (data/container-config/), never in the agent-writable group folder: there
 * an agent could plant a symlink that the host, often root, would write through or bind-mount.
 */
@Singleton
public class ContainerConfigFile {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ContainerConfigFile.class);

    @Inject
    Db db;

    private final ObjectMapper mapper = new ObjectMapper();

    /** Container limits and settings of one group, with the defaults filled in. */
    /** @param mcpServers the group's MCP servers as stored (JSON object text) */
    public record Settings(String provider, String model, String assistantName, Integer maxMessagesPerPrompt,
                           Long memoryMb, Double cpus, Long pidsLimit, String imageTag, String effort,
                           String mcpServers) {}

    public Settings settings(AgentGroup g) {
        return db.one("SELECT provider, model, assistant_name, max_messages_per_prompt, memory_mb, cpus, pids_limit, "
                        + "image_tag, effort, mcp_servers FROM container_configs WHERE agent_group_id = ?",
                rs -> new Settings(rs.getString(1), rs.getString(2), rs.getString(3),
                        (Integer) rs.getObject(4), rs.getObject(5) == null ? null : rs.getLong(5),
                        rs.getObject(6) == null ? null : rs.getDouble(6),
                        rs.getObject(7) == null ? null : rs.getLong(7), rs.getString(8), rs.getString(9),
                        rs.getString(10)),
                g.id()).orElse(new Settings(null, null, null, null, null, null, null, null, null, null));
    }

    /**
     * The stored MCP servers, passed on as they are (the runner validates each entry); anything that isn't a JSON
     * object is logged and left out rather than failing the spawn.
     */
    private ObjectNode mcpServers(AgentGroup g, String stored) {
        if (stored == null || stored.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = mapper.readTree(stored);
            if (n != null && n.isObject()) {
                return (ObjectNode) n;
            }
        } catch (IOException e) {
            // reported below
        }
        LOG.warnf("agent group %s: container_configs.mcp_servers is not a JSON object; no MCP servers passed on",
                g.id());
        return mapper.createObjectNode();
    }

    /** Writes the file atomically into the host-only config folder and returns its path. */
    public Path write(AgentGroup g, Path configDir, Settings s, String defaultAssistantName) throws IOException {
        ObjectNode n = mapper.createObjectNode();
        n.put("provider", s.provider() == null ? "anthropic" : s.provider().toLowerCase());
        if (s.model() != null) {
            n.put("model", s.model());
        }
        n.put("assistantName", s.assistantName() != null ? s.assistantName() : defaultAssistantName);
        n.put("agentGroupId", g.id());
        n.put("groupName", g.name());
        n.put("maxMessagesPerPrompt", s.maxMessagesPerPrompt() == null ? 10 : s.maxMessagesPerPrompt());
        if (s.effort() != null) {
            n.put("effort", s.effort());
        }
        n.set("mcpServers", mcpServers(g, s.mcpServers()));
        Files.createDirectories(configDir);
        Path file = configDir.resolve(g.id() + ".json");
        Path tmp = configDir.resolve(g.id() + ".json.tmp");
        Files.writeString(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(n), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
