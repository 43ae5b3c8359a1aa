package io.nanoclaw.host.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** container.json carries what the runner reads: provider, model, effort and the group's MCP servers. */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class ContainerConfigFileTest {
    @Inject
    CoreFixture fx;
    @Inject
    ContainerConfigFile file;

    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theGroupsSettingsAndMcpServersArePassedOn() throws Exception {
        AgentGroup g = fx.group(CoreFixture.unique("cfg"));
        fx.db.update("INSERT OR REPLACE INTO container_configs(agent_group_id, provider, model, effort, mcp_servers, "
                        + "updated_at) VALUES (?, 'ollama', 'llama3.2:3b', 'high', ?, '2026-01-01T00:00:00Z')", g.id(),
                "{\"files\":{\"command\":\"npx\",\"args\":[\"-y\",\"server-files\"],\"env\":{\"ROOT\":\"/w\"}}}");
        Path dir = Files.createTempDirectory("cfg");
        JsonNode n = mapper.readTree(file.write(g, dir, file.settings(g), "Andy").toFile());
        assertEquals("ollama", n.get("provider").asText());
        assertEquals("llama3.2:3b", n.get("model").asText());
        assertEquals("high", n.get("effort").asText());
        assertEquals(g.id(), n.get("agentGroupId").asText());
        assertEquals("npx", n.at("/mcpServers/files/command").asText());
        assertEquals("/w", n.at("/mcpServers/files/env/ROOT").asText());
    }

    @Test
    void aBrokenMcpServersValueIsLeftOutNotFatal() throws Exception {
        AgentGroup g = fx.group(CoreFixture.unique("cfg"));
        fx.db.update("INSERT OR REPLACE INTO container_configs(agent_group_id, mcp_servers, updated_at) "
                + "VALUES (?, '[not json', '2026-01-01T00:00:00Z')", g.id());
        JsonNode n = mapper.readTree(file.write(g, Files.createTempDirectory("cfg"), file.settings(g), "Andy").toFile());
        assertEquals(0, n.get("mcpServers").size());
        assertEquals("anthropic", n.get("provider").asText());
        assertFalse(n.has("effort"));
    }
}
