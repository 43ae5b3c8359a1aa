package io.nanoclaw.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.host.containers.ContainerRuntime;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.containers.DockerClientProvider;
import io.nanoclaw.host.containers.InstallId;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.db.SchemaMigrator;
import io.nanoclaw.host.testkit.CliClient;
import io.nanoclaw.host.testkit.HostWithFakeModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The walking skeleton end to end, with real parts only: the host, the CLI socket, real SQLite session files, a real
 * agent container from the real image, the credential proxy, and a fake model API that speaks the real SSE protocol.
 * Needs a Docker engine and nanoclaw-agent:latest (./nanoclaw test provides both); fails, never skips, without them.
 */
@QuarkusTest
@QuarkusTestResource(value = HostWithFakeModel.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliToContainerRoundTripTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(90);
    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    ContainerRuntime runtime;
    @Inject
    DockerClientProvider docker;
    @Inject
    InstallId installId;
    @Inject
    SchemaMigrator migrator;
    @Inject
    Sessions sessions;
    @Inject
    ContainerRunner containers;
    @Inject
    io.nanoclaw.host.sweep.SweepJob sweep;
    @Inject
    io.nanoclaw.host.sessions.SessionFolders folders;
    @Inject
    Db db;
    @Inject
    io.nanoclaw.host.containers.GroupRestarts restarts;

    private Path socket() {
        return HostWithFakeModel.home.resolve("data/cli.sock");
    }

    @Test
    @Order(1)
    void pingGetsTheScriptedReplyFromARealContainer() throws Exception {
        assertNotNull(runtime.ping(), "a Docker engine must answer");
        assertTrue(runtime.imageExists("nanoclaw-agent:latest"),
                "nanoclaw-agent:latest is missing: build it with ./nanoclaw setup (./nanoclaw test does)");
        try (CliClient cli = new CliClient(socket())) {
            cli.sendRaw("{\"text\":\"ping\"}");
            String reply = cli.next(REPLY_TIMEOUT);
            assertEquals("{\"text\":\"pong\"}", reply);
        }
        var model = HostWithFakeModel.model;
        assertTrue(model.problems.isEmpty(), "requests were not well-formed: " + model.problems);
        assertFalse(model.requests.isEmpty());
        assertTrue(model.keysSeen.stream().allMatch(HostWithFakeModel.REAL_KEY::equals),
                "the proxy must put the real key in place of the session token");
        JsonNode req = model.requests.get(0);
        assertTrue(req.path("stream").asBoolean(), "the runner streams");
        assertTrue(req.path("messages").get(0).toString().contains("ping"));
    }

    @Test
    @Order(2)
    void theRealKeyNeverEntersTheContainer() {
        var containers = runtime.listByLabel(InstallId.LABEL, installId.value());
        assertFalse(containers.isEmpty(), "the session's container keeps running after the reply");
        for (var c : containers) {
            var info = docker.get().inspectContainerCmd(c.getId()).exec();
            String[] env = info.getConfig().getEnv();
            assertTrue(Arrays.stream(env).noneMatch(e -> e.contains(HostWithFakeModel.REAL_KEY)),
                    "the real API key must never be in a container's env");
            assertTrue(Arrays.stream(env).anyMatch(e -> e.startsWith("NANOCLAW_PROXY_TOKEN=ncl-")));
            assertTrue(Boolean.TRUE.equals(info.getHostConfig().getReadonlyRootfs()));
            assertEquals("1000:1000", info.getConfig().getUser());
        }
    }

    /**
     * What an agent could try from inside: the key in any process's env or command line, in the temp and home
     * folders, in its mounts; root, capabilities, the Docker socket. It finds none of them, and the container
     * carries every hardening flag and limit.
     */
    @Test
    @Order(2)
    void anAgentInsideFindsNoKeyNoPrivilegesAndEveryLimit() throws Exception {
        String key = HostWithFakeModel.REAL_KEY;
        for (var c : runtime.listByLabel(InstallId.LABEL, installId.value())) {
            var info = docker.get().inspectContainerCmd(c.getId()).exec();
            var hc = info.getHostConfig();
            assertTrue(Arrays.asList(hc.getCapDrop()).stream().anyMatch(cap -> cap.name().equals("ALL")), "cap-drop ALL");
            assertTrue(hc.getSecurityOpts().contains("no-new-privileges"), "no-new-privileges");
            assertFalse(Boolean.TRUE.equals(hc.getPrivileged()), "not privileged");
            assertFalse("host".equals(hc.getNetworkMode()), "no host network");
            assertEquals(1024L * 1024 * 1024, hc.getMemory(), "default memory limit");
            assertEquals(1_000_000_000L, hc.getNanoCPUs(), "default CPU limit");
            assertEquals(256L, hc.getPidsLimit(), "default pids limit");
            assertTrue(hc.getTmpFs().containsKey("/tmp") && hc.getTmpFs().containsKey("/home/agent"), "tmpfs");
            List<String> targets = info.getMounts().stream().map(m -> m.getDestination().getPath()).sorted()
                    .toList();
            assertEquals(List.of("/home/agent/.nanoclaw", "/workspace", "/workspace/agent",
                    "/workspace/agent/container.json"), targets, "only the mounts host.md 5.3 lists");
            for (var m : info.getMounts()) {
                assertFalse(m.getSource().contains("docker.sock"), "no Docker socket mounted");
                try (Stream<Path> files = Files.walk(Path.of(m.getSource()))) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        if (Files.size(f) < 5_000_000) {
                            assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(key),
                                    "the key is in a mounted file: " + f);
                        }
                    }
                }
            }

            var procs = io.nanoclaw.host.testkit.ContainerExec.run(docker.get(), c.getId(), "1000:1000",
                    "for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do echo \"== $f\"; tr '\\0' '\\n' < \"$f\"; done "
                            + "2>/dev/null; find /tmp /home/agent -type f -size -1M -exec cat {} + 2>/dev/null; true");
            assertTrue(procs.output().contains("NANOCLAW_PROXY_TOKEN="), "the dump did read the runner's env");
            assertFalse(procs.output().contains(key), "the key is readable inside the container");

            var privileges = io.nanoclaw.host.testkit.ContainerExec.run(docker.get(), c.getId(), "1000:1000",
                    "id -u; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; "
                            + "ls /var/run/docker.sock /run/docker.sock 2>&1; touch /app/x 2>&1; touch /etc/x 2>&1; true");
            String out = privileges.output();
            assertTrue(out.startsWith("1000\n"), out);
            assertTrue(out.matches("(?s).*CapEff:\\s+0000000000000000.*"), "no capabilities: " + out);
            assertTrue(out.matches("(?s).*NoNewPrivs:\\s+1.*"), out);
            assertTrue(out.contains("cannot access '/var/run/docker.sock': No such file")
                    && out.contains("cannot access '/run/docker.sock': No such file"), "no Docker socket: " + out);
            assertTrue(out.contains("touch: cannot touch '/app/x'") && out.contains("touch: cannot touch '/etc/x'"),
                    "read-only root: " + out);
        }
    }

    @Test
    @Order(3)
    void aWarmContainerAnswersAgainWithTheConversationKept() throws Exception {
        try (CliClient cli = new CliClient(socket())) {
            cli.sendRaw("{\"text\":\"second message\"}");
            String reply = cli.next(REPLY_TIMEOUT);
            assertNotNull(reply, "no reply to the second message");
            assertTrue(reply.contains("echo:") && reply.contains("second message"), reply);
        }
        var model = HostWithFakeModel.model;
        JsonNode last = model.requests.get(model.requests.size() - 1);
        JsonNode msgs = last.path("messages");
        assertEquals(3, msgs.size(), "history: user ping, assistant pong, user second message");
        assertEquals("<message to=\"cli\">pong</message>", textOf(msgs.get(1)));
        assertTrue(model.problems.isEmpty(), model.problems.toString());
    }

    @Test
    @Order(4)
    void sessionFilesFollowTheOneWriterRuleAndSeqParity() throws Exception {
        Path sessions = HostWithFakeModel.home.resolve("data/sessions");
        Path inbound;
        try (Stream<Path> s = Files.walk(sessions)) {
            inbound = s.filter(p -> p.getFileName().toString().equals("inbound.db")).findFirst().orElseThrow();
        }
        Path outbound = inbound.resolveSibling("outbound.db");
        try (Connection in = DriverManager.getConnection("jdbc:sqlite:file:" + inbound + "?mode=ro", null, null);
             ResultSet rs = in.createStatement().executeQuery("SELECT seq, status FROM messages_in WHERE kind='chat'")) {
            int n = 0;
            while (rs.next()) {
                assertEquals(0, rs.getLong(1) % 2, "host seqs are even");
                n++;
            }
            assertTrue(n >= 2);
        }
        try (Connection out = DriverManager.getConnection("jdbc:sqlite:file:" + outbound + "?mode=ro", null, null);
             ResultSet rs = out.createStatement().executeQuery("SELECT seq FROM messages_out")) {
            int n = 0;
            while (rs.next()) {
                assertEquals(1, rs.getLong(1) % 2, "container seqs are odd");
                n++;
            }
            assertTrue(n >= 2);
        }
        // The container acked both messages and the host synced the acks into inbound.db.
        long deadline = System.currentTimeMillis() + 10_000;
        int completed = 0;
        while (System.currentTimeMillis() < deadline) {
            try (Connection in = DriverManager.getConnection("jdbc:sqlite:file:" + inbound + "?mode=ro", null, null);
                 ResultSet rs = in.createStatement().executeQuery(
                         "SELECT COUNT(*) FROM messages_in WHERE kind='chat' AND status='completed'")) {
                completed = rs.next() ? rs.getInt(1) : 0;
            }
            if (completed >= 2) {
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(completed >= 2, "acks synced to messages_in.status");
    }

    @Test
    @Order(5)
    void badInputOnTheCliSocketGetsAnErrorAndLosesNothing() throws Exception {
        try (CliClient cli = new CliClient(socket())) {
            cli.sendRaw("{not json");
            assertTrue(cli.next(Duration.ofSeconds(5)).startsWith("{\"error\":\"malformed JSON"));
            cli.sendRaw("{}");
            assertTrue(cli.next(Duration.ofSeconds(5)).contains("\\\"text\\\" is required"));
            cli.sendRaw("[1,2]");
            assertTrue(cli.next(Duration.ofSeconds(5)).contains("expected a JSON object"));
            byte[] huge = new byte[600 * 1024];
            Arrays.fill(huge, (byte) 'x');
            cli.sendRaw(huge);
            cli.sendRaw("\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(cli.next(Duration.ofSeconds(5)).contains("line too long"));
            // The same connection still carries a real message through.
            cli.sendRaw("{\"text\":\"after the bad lines\"}");
            String reply = cli.next(REPLY_TIMEOUT);
            assertNotNull(reply, "the connection must survive bad input");
            assertTrue(reply.contains("after the bad lines"), reply);
        }
    }

    private static String textOf(JsonNode message) {
        JsonNode c = message.path("content");
        if (c.isTextual()) {
            return c.asText();
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode block : c) {
            b.append(block.path("text").asText());
        }
        return b.toString();
    }

    @Test
    @Order(6)
    void aStartWithNothingToMigrateSkipsLiquibaseAndTheWholeSchemaIsThere() {
        assertFalse(migrator.migrate(), "the checksum is recorded, so Liquibase must not run again");
        List<String> tables = db.query("SELECT name FROM sqlite_master WHERE type='table'", rs -> rs.getString(1));
        for (String t : List.of("agent_groups", "messaging_groups", "messaging_group_agents", "users", "user_roles",
                "agent_group_members", "user_dms", "sessions", "pending_questions", "pending_approvals",
                "pending_sender_approvals", "pending_channel_approvals", "agent_destinations", "unregistered_senders",
                "container_configs", "channel_kv", "channel_subscriptions", "channel_locks", "channel_lists",
                "delivery_attempts", "token_usage", "install_meta")) {
            assertTrue(tables.contains(t), "missing table " + t);
        }
        // First start wired the CLI channel to `main`, with cli:local as owner and a destination for the chat.
        assertEquals(List.of("main"), db.query("SELECT folder FROM agent_groups", rs -> rs.getString(1)));
        assertEquals(List.of("owner"), db.query("SELECT role FROM user_roles WHERE user_id = 'cli:local'",
                rs -> rs.getString(1)));
        assertEquals(1, db.query("SELECT 1 FROM agent_destinations", rs -> 1).size());
    }

    @Test
    @Order(7)
    void anAgentThatCannotStartIsReportedAndItsMessageKept() throws Exception {
        Session s = sessions.active().get(0);
        containers.stop(s.id());
        long deadline = System.currentTimeMillis() + 20_000;
        while (containers.isRunning(s.id()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(containers.isRunning(s.id()), "the container stopped");
        db.update("UPDATE container_configs SET image_tag = 'nanoclaw-agent:does-not-exist'");
        try (CliClient cli = new CliClient(socket())) {
            cli.sendRaw("{\"text\":\"are you there\"}");
            String notice = cli.next(Duration.ofSeconds(30));
            assertNotNull(notice, "the user is told the agent could not start");
            assertTrue(notice.contains("couldn't start the agent") && notice.contains("image is missing"), notice);
            // Fixed: the next wake (the sweep's, here called directly) answers the kept message.
            db.update("UPDATE container_configs SET image_tag = NULL");
            assertTrue(containers.wake(s));
            String reply = cli.next(REPLY_TIMEOUT);
            assertNotNull(reply, "the kept message is answered once the agent can start");
            assertTrue(reply.contains("are you there"), reply);
        }
        var model = HostWithFakeModel.model;
        JsonNode last = model.requests.get(model.requests.size() - 1);
        assertEquals(7, last.path("messages").size(),
                "the restarted container resumes the conversation: three earlier exchanges plus the new turn");
    }

    @Test
    @Order(8)
    void theProxyRefusesUnknownTokensWithoutCallingTheApi() throws Exception {
        var model = HostWithFakeModel.model;
        int before = model.requests.size();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = "http://" + HostWithFakeModel.bridge + ":" + HostWithFakeModel.port;
        for (String token : new String[] {"ncl-" + "0".repeat(64), "", HostWithFakeModel.REAL_KEY}) {
            var res = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/messages"))
                            .header("x-api-key", token).header("content-type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, res.statusCode(), "token " + token.length() + " chars");
            assertTrue(res.body().contains("authentication_error"));
            assertFalse(res.body().contains(HostWithFakeModel.REAL_KEY));
        }
        var ping = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/nanoclaw/ping"))
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(204, ping.statusCode());
        assertEquals(before, model.requests.size(), "nothing reached the model API");
    }

    @Test
    @Order(9)
    void anIdleContainerIsStoppedByTheSweep() throws Exception {
        Session s = sessions.active().get(0);
        assertTrue(containers.isRunning(s.id()), "the container from the last test still runs");
        Path heartbeat = folders.heartbeat(s.agentGroupId(), s.id());
        java.nio.file.attribute.FileTime longAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(1)));
        if (Files.exists(heartbeat)) {
            Files.setLastModifiedTime(heartbeat, longAgo);
        }
        db.update("UPDATE sessions SET last_active = ? WHERE id = ?", longAgo.toInstant().toString(), s.id());
        sweep.sweep(sessions.byId(s.id()).orElseThrow()); // as the sweep reads it: a fresh row
        long deadline = System.currentTimeMillis() + 20_000;
        while (containers.isRunning(s.id()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(containers.isRunning(s.id()), "idle longer than IDLE_TIMEOUT: stopped");
        assertTrue(runtime.listByLabel(InstallId.LABEL, installId.value()).isEmpty(), "and removed");
    }

    @Test
    @Order(10)
    void theNextMessageAfterAnIdleStopStartsAFreshContainerThatResumesTheConversation() throws Exception {
        int before = HostWithFakeModel.model.requests.size();
        try (CliClient cli = new CliClient(socket())) {
            cli.sendRaw("{\"text\":\"after the nap\"}");
            String reply = cli.next(REPLY_TIMEOUT);
            assertTrue(reply.contains("after the nap"), reply);
        }
        Session s = sessions.active().get(0);
        assertTrue(containers.isRunning(s.id()), "a new container answered");
        JsonNode req = HostWithFakeModel.model.requests.get(before);
        assertTrue(req.path("messages").size() > 1, "the earlier turns came back with the new container: " + req);
        assertTrue(req.path("messages").get(0).toString().contains("ping"), "the conversation's first message");
    }

    @Test
    @Order(11)
    void orphanCleanupRemovesOnlyThisInstallsLeftovers() throws Exception {
        var client = docker.get();
        String foreign = client.createContainerCmd("nanoclaw-agent:latest")
                .withName("nanoclaw-test-foreign-" + System.currentTimeMillis())
                .withLabels(java.util.Map.of(InstallId.LABEL, "another-install"))
                .withEntrypoint("sleep").withCmd("120").exec().getId();
        String ours = client.createContainerCmd("nanoclaw-agent:latest")
                .withName("nanoclaw-test-leftover-" + System.currentTimeMillis())
                .withLabels(java.util.Map.of(InstallId.LABEL, installId.value()))
                .withEntrypoint("sleep").withCmd("120").exec().getId();
        try {
            client.startContainerCmd(foreign).exec();
            client.startContainerCmd(ours).exec();
            containers.removeOrphans();
            assertTrue(client.listContainersCmd().withShowAll(true).exec().stream()
                    .anyMatch(c -> c.getId().equals(foreign)), "another install's container is left alone");
            assertTrue(client.listContainersCmd().withShowAll(true).exec().stream()
                    .noneMatch(c -> c.getId().equals(ours)), "this install's leftover is removed");
            Session s = sessions.active().get(0);
            assertTrue(containers.isRunning(s.id()), "a running session's container is not an orphan");
        } finally {
            client.removeContainerCmd(foreign).withForce(true).exec();
            try {
                client.removeContainerCmd(ours).withForce(true).exec();
            } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                // removed by the cleanup, as it should be
            }
        }
    }

    @Test
    @Order(12)
    void aRestartWithANoteStartsANewContainerThatReadsItAndOneWithoutOnlyStops() throws Exception {
        Session s = sessions.active().get(0);
        String before = containers.containerOf(s.id()).orElseThrow();
        int requests = HostWithFakeModel.model.requests.size();
        try (CliClient cli = new CliClient(socket())) {
            assertEquals(1, restarts.restart(s.agentGroupId(), "packages installed",
                    "Your container was restarted: the packages you asked for are installed."));
            String reply = cli.next(REPLY_TIMEOUT);
            assertTrue(reply.contains("packages you asked for are installed"), "the new runner read the note: " + reply);
        }
        String after = containers.containerOf(s.id()).orElseThrow();
        assertFalse(before.equals(after), "a new container");
        assertTrue(HostWithFakeModel.model.requests.size() > requests);

        assertEquals(1, restarts.restart(s.agentGroupId(), "config changed", null));
        long deadline = System.currentTimeMillis() + 20_000;
        while (containers.isRunning(s.id()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(containers.isRunning(s.id()), "without a note: stopped, not restarted");
    }
}
