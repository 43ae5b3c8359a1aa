package io.nanoclaw.host.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCaller;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclHandler;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.ContainerSlots;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.nanoclaw.host.usage.ModelPrices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** The operator commands through their beans, as the ncl dispatcher calls them. */
@QuarkusTest
@TestProfile(OperatorProfile.class)
class OperatorCommandsTest {
    @Inject
    StatusCommand status;
    @Inject
    DoctorCommand doctor;
    @Inject
    UsageCommand usage;
    @Inject
    SessionsCloseCommand close;
    @Inject
    LogsCommand logs;
    @Inject
    @Any
    Instance<NclHandler> handlers;
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    Sessions sessions;
    @Inject
    InboundWriter inbound;
    @Inject
    ChannelRegistry channels;
    @Inject
    ContainerSlots slots;
    @Inject
    HostConfig config;

    private static void assertRefused(String code, String inMessage, org.junit.jupiter.api.function.Executable call) {
        NclException e = assertThrows(NclException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(inMessage), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void theCommandsAreHandlerBeansWithTheirNamesAndAccess() throws Exception {
        Map<String, NclAccess> found = new HashMap<>();
        for (NclHandler h : handlers) {
            found.put(h.command(), h.access());
            assertFalse(h.summary().isBlank());
        }
        assertEquals(NclAccess.OPERATOR, found.get("status"));
        assertEquals(NclAccess.OPERATOR, found.get("doctor"));
        assertEquals(NclAccess.OPEN, found.get("usage"));
        assertEquals(NclAccess.APPROVAL, found.get("sessions-close"));
        assertEquals(NclAccess.OPERATOR, found.get("logs"));
        assertEquals(NclAccess.OPERATOR, found.get("backup"));
    }

    @Test
    void statusShowsTheHostChannelsSessionsAndContainers() throws Exception {
        RecordingAdapter adapter = new RecordingAdapter(CoreFixture.unique("st"), false);
        channels.register(adapter);
        AgentGroup ag = fx.group("S");
        MessagingGroup chat = fx.chat(adapter.channelType(), "c", false, "public");
        fx.wireAll(chat, ag);
        resolver.resolve(ag.id(), chat.id(), null, "shared");

        JsonNode s = status.handle(Calls.operator("status"));
        assertTrue(s.path("uptimeSeconds").asLong(-1) >= 0, s.toString());
        assertEquals(config.home().toString(), s.path("home").asText());
        assertFalse(s.path("docker").path("reachable").asBoolean(true), "containers are off in this profile");
        assertTrue(s.path("docker").path("error").asText().contains("NANOCLAW_CONTAINERS=false"));
        assertEquals(config.containerImage(), s.path("image").path("name").asText());
        JsonNode mine = null;
        for (JsonNode c : s.path("channels")) {
            if (c.path("channel").asText().equals(adapter.channelType())) {
                mine = c;
            }
        }
        assertTrue(mine != null && mine.path("state").asText().equals("connected"), s.path("channels").toString());
        assertTrue(s.path("sessions").path("active").asInt() >= 1);
        assertEquals(0, s.path("sessions").path("running").asInt());
        assertEquals(config.maxConcurrentContainers(), s.path("containers").path("max").asInt());
        assertEquals(0, s.path("containers").path("queued").asInt());
    }

    @Test
    void doctorGivesEveryCheckAFixAndNeverPrintsTheKey() throws Exception {
        JsonNode rows = doctor.handle(Calls.operator("doctor"));
        assertTrue(rows.isArray());
        Map<String, JsonNode> byCheck = new HashMap<>();
        for (JsonNode r : rows) {
            for (String f : List.of("check", "ok", "detail", "fix")) {
                assertTrue(r.has(f), f + " in " + r);
            }
            r.fields().forEachRemaining(e -> assertTrue(e.getValue().isValueNode(), "flat row: " + r));
            if (!r.path("ok").asBoolean()) {
                assertFalse(r.path("fix").asText().isBlank(), "a failed check says how to fix it: " + r);
            }
            byCheck.put(r.path("check").asText(), r);
        }
        assertFalse(rows.toString().contains(OperatorProfile.SECRET), "the API key must never be shown");
        assertTrue(byCheck.get("credentials").path("ok").asBoolean());
        assertTrue(byCheck.get("credentials").path("detail").asText().contains("ANTHROPIC_API_KEY is set"));
        assertFalse(byCheck.get("docker").path("ok").asBoolean());
        assertTrue(byCheck.get("docker").path("fix").asText().contains("NANOCLAW_CONTAINERS"));
        assertTrue(byCheck.get("central db").path("ok").asBoolean(), byCheck.get("central db").toString());
        assertTrue(byCheck.get("data dir").path("ok").asBoolean());
        assertTrue(byCheck.containsKey("disk"));
        assertTrue(byCheck.containsKey("ncl socket") && byCheck.containsKey("cli socket"));
        assertTrue(byCheck.keySet().stream().anyMatch(k -> k.startsWith("channel ")), byCheck.keySet().toString());
    }

    @Test
    void doctorFlagsASocketOthersCanReach() throws Exception {
        java.nio.file.Path sock = config.dataDir().resolve("ncl.sock");
        java.nio.file.Files.deleteIfExists(sock);
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(sock));
            java.nio.file.Files.setPosixFilePermissions(sock,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            DoctorCommand.Check c = doctor.checks().stream().filter(x -> x.check().equals("ncl socket")).findFirst()
                    .orElseThrow();
            assertFalse(c.ok(), c.toString());
            assertTrue(c.fix().contains("chmod 600"), c.toString());
            java.nio.file.Files.setPosixFilePermissions(sock,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            assertTrue(doctor.checks().stream().filter(x -> x.check().equals("ncl socket")).findFirst()
                    .orElseThrow().ok());
        } finally {
            java.nio.file.Files.deleteIfExists(sock);
        }
    }

    @Test
    void theEngineProbeAnswersWithinItsTimeLimitWhateverTheEngine() throws Exception {
        // Whether or not this machine has Docker, the probe returns (it never throws, never hangs).
        Probes p = io.quarkus.arc.Arc.container().instance(Probes.class).get();
        long t0 = System.nanoTime();
        Probes.Engine e = p.engine();
        assertTrue((System.nanoTime() - t0) / 1_000_000 < Probes.ENGINE_TIMEOUT_MS + 2000);
        assertTrue(e.reachable() ? e.version() != null : e.error() != null, e.toString());
    }

    private void usageRow(String ag, String session, String model, long in, long out, String createdAt) {
        fx.db.update("INSERT INTO token_usage(agent_group_id, session_id, model, input_tokens, output_tokens, "
                + "cache_read_tokens, cache_creation_tokens, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?)",
                ag, session, model, in, out, createdAt);
    }

    @Test
    void usageSumsTokensAndCostPerGroupOrSessionAndDay() throws Exception {
        AgentGroup a = fx.group("UA");
        AgentGroup b = fx.group("UB");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String old = LocalDate.now(ZoneOffset.UTC).minusDays(10).toString();
        usageRow(a.id(), "sa1", "claude-sonnet-4-5", 1000, 100, today + "T10:00:00Z");
        usageRow(a.id(), "sa2", "claude-sonnet-4-5", 2000, 200, today + "T11:00:00Z");
        usageRow(a.id(), "sa1", "claude-sonnet-4-5", 500, 50, old + "T11:00:00Z");
        usageRow(b.id(), "sb1", "claude-haiku-4-5", 10, 1, today + "T12:00:00Z");

        JsonNode rows = usage.handle(Calls.operator("usage", "group", a.id()));
        assertEquals(2, rows.size(), rows.toString());
        assertEquals(old, rows.get(0).path("day").asText());
        JsonNode t = rows.get(1);
        assertEquals(today, t.path("day").asText());
        assertEquals(a.id(), t.path("group").asText());
        assertEquals(2, t.path("calls").asLong());
        assertEquals(3000, t.path("input_tokens").asLong());
        assertEquals(300, t.path("output_tokens").asLong());
        assertEquals(3300, t.path("total_tokens").asLong());
        double cost = ModelPrices.cost("claude-sonnet-4-5", 3000, 300, 0, 0);
        assertEquals(cost, t.path("cost_usd").asDouble(), 0.0001);

        JsonNode recent = usage.handle(Calls.operator("usage", "group", a.id(), "days", "2"));
        assertEquals(1, recent.size(), recent.toString());

        JsonNode perSession = usage.handle(Calls.operator("usage", "group", a.id(), "per", "session",
                "since", today));
        assertEquals(2, perSession.size(), perSession.toString());
        assertEquals(List.of("sa1", "sa2"), List.of(perSession.get(0).path("session").asText(),
                perSession.get(1).path("session").asText()));
        JsonNode one = usage.handle(Calls.operator("usage", "session", "sa2"));
        assertEquals(1, one.size());
        assertEquals(2000, one.get(0).path("input_tokens").asLong());

        // an agent limited to its group sees its group only
        NclCaller agentA = NclCaller.agent(a.id(), "sa1", "group");
        JsonNode own = usage.handle(Calls.as(agentA, "usage"));
        for (JsonNode r : own) {
            assertEquals(a.id(), r.path("group").asText());
        }
        assertEquals(2, own.size());
        assertRefused(NclException.FORBIDDEN, "another agent group",
                () -> usage.handle(Calls.as(agentA, "usage", "group", b.id())));
    }

    @Test
    void usageRefusesBadInputInOneLine() throws Exception {
        assertRefused(NclException.INVALID_ARGS, "--days", () -> usage.handle(Calls.operator("usage", "days", "x")));
        assertRefused(NclException.INVALID_ARGS, "--days", () -> usage.handle(Calls.operator("usage", "days", "0")));
        assertRefused(NclException.INVALID_ARGS, "yyyy-mm-dd",
                () -> usage.handle(Calls.operator("usage", "since", "yesterday")));
        assertRefused(NclException.INVALID_ARGS, "not both",
                () -> usage.handle(Calls.operator("usage", "since", "2026-01-01", "days", "3")));
        assertRefused(NclException.INVALID_ARGS, "after",
                () -> usage.handle(Calls.operator("usage", "since", "2026-02-01", "until", "2026-01-01")));
        assertRefused(NclException.INVALID_ARGS, "--per",
                () -> usage.handle(Calls.operator("usage", "per", "week")));
        assertRefused(NclException.NOT_FOUND, "agent group nope",
                () -> usage.handle(Calls.operator("usage", "group", "nope")));
        assertRefused(NclException.NOT_FOUND, "session nope",
                () -> usage.handle(Calls.operator("usage", "session", "nope")));
    }

    @Test
    void closingASessionEndsItDeliversWhatItWroteAndTheNextMessageOpensANewOne() throws Exception {
        RecordingAdapter adapter = new RecordingAdapter(CoreFixture.unique("cl"), false);
        channels.register(adapter);
        AgentGroup ag = fx.group("C");
        MessagingGroup chat = fx.chat(adapter.channelType(), "c", false, "public");
        fx.wireAll(chat, ag);
        Session s = resolver.resolve(ag.id(), chat.id(), null, "shared");
        inbound.write(ag.id(), s.id(), InboundRow.chat("m-" + s.id(), "chat", chat.platformId(),
                chat.channelType(), null, "{\"text\":\"hi\"}", true));
        fx.containerWrites(ag.id(), s.id(), chat.channelType(), chat.platformId(), null, "chat",
                "{\"text\":\"last words\"}");

        JsonNode r = close.handle(Calls.operator("sessions-close", "id", s.id()));
        assertEquals("closed", r.path("status").asText());
        assertFalse(r.path("alreadyClosed").asBoolean());
        assertFalse(r.path("containerStopped").asBoolean());
        Session after = sessions.byId(s.id()).orElseThrow();
        assertEquals("closed", after.status());
        assertEquals("stopped", after.containerStatus());
        assertEquals(List.of("last words"), adapter.textsTo(chat.platformId()), "replies it wrote still go out");
        assertTrue(sessions.activeOf(ag.id()).isEmpty());
        Session next = resolver.resolve(ag.id(), chat.id(), null, "shared");
        assertNotEquals(s.id(), next.id(), "the chat's next message opens a new session");
        assertEquals(1, fx.inboundRows(ag.id(), s.id(), "SELECT content FROM messages_in WHERE kind = 'chat'").size(),
                "the closed session's DBs stay on disk");

        JsonNode again = close.handle(Calls.operator("sessions-close", "id", s.id()));
        assertTrue(again.path("alreadyClosed").asBoolean());
    }

    @Test
    void closingAQueuedSessionTakesItOutOfTheQueue() throws Exception {
        AgentGroup ag = fx.group("Q");
        MessagingGroup chat = fx.chat("cli", CoreFixture.unique("q"), false, "public");
        List<Session> holders = new ArrayList<>();
        for (int i = 0; i < slots.cap(); i++) {
            Session h = new Session(CoreFixture.unique("hold-"), ag.id(), null, null, "active", "stopped", null);
            assertEquals(ContainerSlots.Kind.GRANTED, slots.request(h).kind());
            holders.add(h);
        }
        try {
            Session s = resolver.resolve(ag.id(), chat.id(), null, "shared");
            assertEquals(ContainerSlots.Kind.QUEUED, slots.request(s).kind());
            JsonNode st = status.handle(Calls.operator("status"));
            assertEquals(1, st.path("containers").path("queued").asInt());
            JsonNode r = close.handle(Calls.operator("sessions-close", "id", s.id()));
            assertTrue(r.path("leftQueue").asBoolean(), r.toString());
            assertFalse(slots.isQueued(s.id()));
        } finally {
            holders.forEach(h -> slots.release(h.id()));
        }
    }

    @Test
    void closeRefusesBadInput() throws Exception {
        assertRefused(NclException.INVALID_ARGS, "missing --id", () -> close.handle(Calls.operator("sessions-close")));
        assertRefused(NclException.NOT_FOUND, "session nope not found",
                () -> close.handle(Calls.operator("sessions-close", "id", "nope")));
        AgentGroup mine = fx.group("M");
        AgentGroup other = fx.group("O");
        MessagingGroup chat = fx.chat("cli", CoreFixture.unique("o"), false, "public");
        Session theirs = resolver.resolve(other.id(), chat.id(), null, "shared");
        NclCaller agent = NclCaller.agent(mine.id(), null, "group");
        assertRefused(NclException.NOT_FOUND, "not found",
                () -> close.handle(Calls.as(agent, "sessions-close", "id", theirs.id())));
        assertEquals("active", sessions.byId(theirs.id()).orElseThrow().status());
    }

    @Test
    void logsShowTheTailOfTheHostLogFile() throws Exception {
        String marker = "ops-log-marker-" + System.nanoTime();
        Logger.getLogger(OperatorCommandsTest.class).info(marker);
        assertEquals(config.dataDir().resolve("logs/host.log"), logs.logFile());
        JsonNode rows = logs.handle(Calls.operator("logs", "lines", "5000"));
        assertTrue(rows.isArray() && rows.size() > 1);
        boolean seen = false;
        for (JsonNode r : rows) {
            assertEquals(1, r.size(), "one column: " + r);
            seen |= r.path("line").asText().contains(marker);
        }
        assertTrue(seen, "the line just logged is in the tail");
        assertTrue(rows.get(rows.size() - 1).path("line").asText().contains(marker), "newest last");
        JsonNode few = logs.handle(Calls.operator("logs", "lines", "1"));
        assertEquals(1, few.size());
        assertTrue(logs.handle(Calls.operator("logs")).size() <= LogsCommand.DEFAULT_LINES);
    }

    @Test
    void logsRefuseBadInput() throws Exception {
        for (String bad : List.of("0", "5001", "ten", "-3")) {
            assertRefused(NclException.INVALID_ARGS, "--lines must be",
                    () -> logs.handle(Calls.operator("logs", "lines", bad)));
        }
    }
}
