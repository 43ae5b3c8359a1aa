package io.nanoclaw.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.approvals.Approvals;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agents' ncl (host.md 6.4 and 9, "Agent callers"): a cli_request row in outbound.db, as the runner writes it, gets
 * its cli_response row in inbound.db, within the group's cli_scope.
 */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class NclAgentScopeTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    DeliveryService delivery;
    @Inject
    ChannelRegistry channels;
    @Inject
    Approvals approvals;

    RecordingAdapter adapter;
    AgentGroup own;
    AgentGroup other;
    Session ownSession;
    Session otherSession;
    String admin;

    @BeforeEach
    void setUp() {
        adapter = new RecordingAdapter(CoreFixture.unique("ag"), false, true);
        channels.register(adapter);
        own = fx.group("Own");
        other = fx.group("Other");
        MessagingGroup a = fx.chat(adapter.channelType(), "own chat", false, "public");
        MessagingGroup b = fx.chat(adapter.channelType(), "other chat", false, "public");
        fx.wireAll(a, own);
        fx.wireAll(b, other);
        ownSession = resolver.resolve(own.id(), a.id(), null, "shared");
        otherSession = resolver.resolve(other.id(), b.id(), null, "shared");
        admin = adapter.channelType() + ":admin";
        fx.role(admin, "admin", own);
    }

    private void scope(String scope) {
        fx.db.update("UPDATE container_configs SET cli_scope = ? WHERE agent_group_id = ?", scope, own.id());
    }

    /** What the agent's `ncl` does: a cli_request row; then the host's delivery runs it; returns the frame. */
    private JsonNode agent(String command, String... kv) throws Exception {
        ObjectNode args = M.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            args.put(kv[i], kv[i + 1]);
        }
        String requestId = CoreFixture.unique("cli-").replace("-", "x");
        ObjectNode content = M.createObjectNode().put("action", "cli_request").put("requestId", requestId)
                .put("command", command);
        content.set("args", args);
        fx.containerWrites(own.id(), ownSession.id(), null, null, null, "system", content.toString());
        delivery.drain(ownSession);
        List<String[]> rows = fx.inboundRows(own.id(), ownSession.id(), "SELECT kind, trigger, content FROM "
                + "messages_in WHERE id = 'cli-resp-" + requestId + "'");
        assertEquals(1, rows.size(), "one cli_response row");
        assertEquals("system", rows.get(0)[0]);
        assertEquals("0", rows.get(0)[1]);
        JsonNode reply = M.readTree(rows.get(0)[2]);
        assertEquals("cli_response", reply.path("type").asText());
        assertEquals(requestId, reply.path("requestId").asText());
        assertEquals(requestId, reply.path("frame").path("id").asText());
        return reply.path("frame");
    }

    private static void assertRefused(JsonNode frame, String code, String text) {
        assertFalse(frame.path("ok").asBoolean(), frame.toString());
        assertEquals(code, frame.path("error").path("code").asText(), frame.toString());
        assertTrue(frame.path("error").path("message").asText().contains(text), frame.toString());
    }

    @Test
    void aGroupScopedAgentSeesAndTouchesOnlyItsOwnGroup() throws Exception {
        JsonNode list = agent("groups-list");
        assertTrue(list.path("ok").asBoolean(), list.toString());
        assertEquals(1, list.path("data").size(), list.toString());
        assertEquals(own.id(), list.path("data").get(0).path("id").asText());

        JsonNode get = agent("groups-get");
        assertEquals(own.id(), get.path("data").path("id").asText(), "its own id is filled in");
        assertRefused(agent("groups-get", "id", other.id()), "forbidden", "only use its own group");
        assertRefused(agent("groups-get-" + other.id()), "forbidden", "only use its own group");
        assertRefused(agent("groups-config-get", "id", other.id()), "forbidden", "own group");

        JsonNode sessions = agent("sessions-list");
        assertTrue(sessions.path("data").size() >= 1);
        sessions.path("data").forEach(s -> assertEquals(own.id(), s.path("agent_group_id").asText()));
        assertRefused(agent("sessions-list", "group", other.id()), "forbidden", "own group");
        assertRefused(agent("sessions-get", "id", otherSession.id()), "not-found", "session not found");
        assertTrue(agent("sessions-get", "id", ownSession.id()).path("ok").asBoolean());

        JsonNode dests = agent("destinations-list");
        dests.path("data").forEach(d -> assertEquals(own.id(), d.path("agent_group_id").asText()));
        assertTrue(agent("members-list").path("ok").asBoolean());

        assertRefused(agent("wirings-list"), "forbidden", "outside this agent's scope");
        assertRefused(agent("users-list"), "forbidden", "outside this agent's scope");
        assertRefused(agent("groups-create", "name", "Sneaky"), "forbidden", "outside this agent's scope");
        assertRefused(agent("groups-config-update", "cli_scope", "global"), "forbidden",
                "can't change its own cli_scope");
        assertRefused(agent("test-operator-only"), "forbidden", "for the operator only");

        JsonNode help = agent("help");
        assertTrue(help.path("ok").asBoolean());
        List<String> shown = new java.util.ArrayList<>();
        help.path("data").forEach(r -> shown.add(r.path("command").asText()));
        assertTrue(shown.contains("groups list") && shown.contains("sessions get") && shown.contains("help"), shown
                .toString());
        assertTrue(shown.stream().noneMatch(c -> c.startsWith("wirings") || c.startsWith("users")
                || c.startsWith("test") || c.equals("groups create")), shown.toString());
        assertRefused(agent("grups-list"), "unknown-command", "did you mean 'groups list'?");
    }

    @Test
    void aDisabledAgentIsRefusedEverything() throws Exception {
        scope("disabled");
        assertRefused(agent("help"), "forbidden", "disabled");
        assertRefused(agent("groups-list"), "forbidden", "disabled");
    }

    @Test
    void aGlobalAgentHasNoLimitsButOperatorCommands() throws Exception {
        scope("global");
        assertTrue(agent("wirings-list").path("ok").asBoolean());
        JsonNode get = agent("groups-get", "id", other.id());
        assertEquals(other.id(), get.path("data").path("id").asText());
        assertRefused(agent("test-operator-only"), "forbidden", "for the operator only");
    }

    @Test
    void aGatedCommandRaisesACardAndRunsWhenApproved() throws Exception {
        assertRefused(agent("groups-update"), "invalid-args", "missing --name");
        assertTrue(pending().isEmpty(), "a malformed request asks no one");

        JsonNode frame = agent("groups-update", "name", "Approved Name");
        assertRefused(frame, "approval-pending", "needs an admin's approval");
        List<String[]> p = pending();
        assertEquals(1, p.size());
        JsonNode payload = M.readTree(p.get(0)[1]);
        assertEquals("groups-update", payload.path("command").asText());
        assertEquals(own.id(), payload.path("args").path("id").asText(), "held to its own group");
        assertEquals("Own", fx.db.one("SELECT name FROM agent_groups WHERE id = ?", rs -> rs.getString(1),
                own.id()).orElseThrow(), "nothing changed yet");
        assertFalse(adapter.delivered.isEmpty(), "the card went to the admin");

        String dm = adapter.delivered.get(adapter.delivered.size() - 1).platformId();
        approvals.answer(p.get(0)[0], 0, admin, adapter.channelType(), dm, null);
        await(() -> fx.db.one("SELECT name FROM agent_groups WHERE id = ?", rs -> rs.getString(1), own.id())
                .orElse("").equals("Approved Name"));
        await(() -> notes().stream().anyMatch(n -> n.contains("cli_command approved by admin: ncl groups update "
                + "done")));
    }

    @Test
    void anAgentsRestartIsHeldToItsOwnSession() throws Exception {
        assertRefused(agent("groups-restart"), "approval-pending", "approval");
        JsonNode payload = M.readTree(pending().get(0)[1]);
        assertEquals(ownSession.id(), payload.path("args").path("session").asText());
        assertEquals(own.id(), payload.path("args").path("id").asText());
    }

    private List<String[]> pending() {
        return fx.db.query("SELECT approval_id, payload FROM pending_approvals WHERE session_id = ? "
                + "AND action = 'cli_command'", rs -> new String[] {rs.getString(1), rs.getString(2)},
                ownSession.id());
    }

    private List<String> notes() {
        try {
            return fx.inboundRows(own.id(), ownSession.id(), "SELECT content FROM messages_in "
                    + "WHERE channel_type = 'agent'").stream().map(r -> r[0]).toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static void await(BooleanSupplier ok) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (!ok.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertTrue(ok.getAsBoolean(), "condition not met within 5 s");
    }
}
