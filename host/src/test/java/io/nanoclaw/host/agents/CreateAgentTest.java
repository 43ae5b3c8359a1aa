package io.nanoclaw.host.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** create_agent (host.md 6.2 with decisions.md's permission check), driven as a container would write it. */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class CreateAgentTest {
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    DeliveryService delivery;
    @Inject
    HostConfig config;

    AgentGroup parent;
    Session session;

    @BeforeEach
    void setUp() {
        parent = fx.group("Boss");
        MessagingGroup chat = fx.chat("cli", "home", false, "public");
        fx.wireAll(chat, parent);
        session = resolver.resolve(parent.id(), chat.id(), null, "shared");
    }

    private void global() {
        fx.db.update("UPDATE container_configs SET cli_scope = 'global' WHERE agent_group_id = ?", parent.id());
    }

    private void ask(String requestId, String name, String instructions) throws Exception {
        String content = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("action", "create_agent").put("requestId", requestId).put("name", name)
                .put("instructions", instructions).toString();
        fx.containerWrites(parent.id(), session.id(), null, null, null, "system", content);
        delivery.drain(session);
    }

    private List<String> notes() throws Exception {
        return fx.inboundRows(parent.id(), session.id(),
                "SELECT content FROM messages_in WHERE channel_type = 'agent' ORDER BY seq").stream()
                .map(r -> r[0]).toList();
    }

    private List<String[]> groupsNamed(String name) {
        return fx.db.query("SELECT id, folder FROM agent_groups WHERE name = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, name);
    }

    @Test
    void aGlobalAgentCreatesAtOnceWithFolderMemoryAndDestinationsBothWays() throws Exception {
        global();
        String name = "Research Bot " + CoreFixture.unique("r");
        String slug = AgentNames.slug(name);
        ask(CoreFixture.unique("req"), name, "You research things.");

        List<String[]> made = groupsNamed(name);
        assertEquals(1, made.size());
        String childId = made.get(0)[0];
        assertEquals(slug, made.get(0)[1]);
        Path memory = config.groupsDir().resolve(slug).resolve("CLAUDE.local.md");
        assertEquals("You research things.", Files.readString(memory));
        assertEquals(1, fx.db.query("SELECT 1 FROM container_configs WHERE agent_group_id = ?", rs -> 1, childId)
                .size(), "the child has its container config");
        assertEquals(List.of(childId), fx.db.query("SELECT target_id FROM agent_destinations WHERE agent_group_id = ? "
                + "AND local_name = ? AND target_type = 'agent'", rs -> rs.getString(1), parent.id(), slug));
        assertEquals(List.of(parent.id()), fx.db.query("SELECT target_id FROM agent_destinations WHERE "
                + "agent_group_id = ? AND local_name = 'parent'", rs -> rs.getString(1), childId));
        List<String[]> projected = fx.inboundRows(parent.id(), session.id(),
                "SELECT name, type, agent_group_id FROM destinations WHERE type = 'agent'");
        assertEquals(1, projected.size());
        assertEquals(slug, projected.get(0)[0]);
        assertEquals(childId, projected.get(0)[2]);
        String note = notes().get(0);
        assertTrue(note.contains("is ready") && note.contains("<message to=\\\"" + slug + "\\\">"), note);
    }

    @Test
    void aGroupScopeAgentGoesToApprovalsAndNothingIsCreated() throws Exception {
        String name = "Helper " + CoreFixture.unique("h");
        ask(CoreFixture.unique("req"), name, "help");
        assertTrue(groupsNamed(name).isEmpty());
        assertTrue(!Files.exists(config.groupsDir().resolve(AgentNames.slug(name))));
        // an approver gets a card (another test may have made an owner), or the agent is told no one can approve
        List<String> cards = fx.db.query("SELECT approval_id FROM pending_approvals WHERE session_id = ? "
                + "AND action = 'create_agent'", rs -> rs.getString(1), session.id());
        List<String> notes = notes();
        assertTrue(cards.size() == 1 || (!notes.isEmpty() && notes.get(0).contains("create_agent failed")),
                "cards " + cards + ", notes " + notes);
    }

    @Test
    void aNameWhoseSlugIsAnExistingFolderGetsDashTwo() throws Exception {
        global();
        String name = "Twin " + CoreFixture.unique("t");
        Files.createDirectories(config.groupsDir().resolve(AgentNames.slug(name)));
        ask(CoreFixture.unique("req"), name, null);
        assertEquals(AgentNames.slug(name) + "-2", groupsNamed(name).get(0)[1]);
        assertTrue(Files.exists(config.groupsDir().resolve(AgentNames.slug(name) + "-2").resolve("CLAUDE.local.md")));
    }

    @Test
    void aNameThatClashesWithADestinationIsRefused() throws Exception {
        global();
        String name = "Clash " + CoreFixture.unique("c");
        ask(CoreFixture.unique("req"), name, null);
        ask(CoreFixture.unique("req"), name.toUpperCase(), null);
        assertEquals(1, groupsNamed(name).size());
        assertTrue(groupsNamed(name.toUpperCase()).isEmpty());
        String note = notes().get(1);
        assertTrue(note.contains("already have a destination named"), note);
    }

    @Test
    void aDuplicateRequestIdIsIgnoredAndABadNameIsTold() throws Exception {
        global();
        String req = CoreFixture.unique("req");
        String name = "Once " + CoreFixture.unique("o");
        ask(req, name, null);
        ask(req, name + " again", null);
        assertEquals(1, groupsNamed(name).size());
        assertTrue(groupsNamed(name + " again").isEmpty());
        ask(CoreFixture.unique("req"), "!!!", null);
        String note = notes().get(notes().size() - 1);
        assertTrue(note.contains("at least one letter"), note);
    }
}
