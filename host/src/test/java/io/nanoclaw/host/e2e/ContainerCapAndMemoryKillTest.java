package io.nanoclaw.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.host.containers.ContainerSlots;
import io.nanoclaw.host.containers.DockerClientProvider;
import io.nanoclaw.host.containers.InstallId;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.sweep.SweepJob;
import io.nanoclaw.host.testkit.CliClient;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithFakeModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * MAX_CONCURRENT_CONTAINERS and memory-limit kills with real parts: the host, the CLI socket, real agent containers
 * and the fake model API. Two agent groups share the CLI chat: `main` answers messages starting with "a:", `bee`
 * those starting with "b:", so each message wakes exactly one session and both reply to the "cli" destination.
 * Needs a Docker engine and the agent image (AgentImage.ensure() provides both); fails, never skips, without them.
 */
@QuarkusTest
@QuarkusTestResource(value = HostWithFakeModel.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "MAX_CONCURRENT_CONTAINERS", value = "1"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerCapAndMemoryKillTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(90);
    private static final String SESSION_LABEL = "nanoclaw-session";
    /** Fills the container's /tmp tmpfs: memory no process owns, so the kernel kills the biggest one, the runner. */
    private static final String MEMORY_BOMB = "head -c 300m /dev/zero > /tmp/fill; echo survived";

    private static AgentGroup bee;

    @Inject
    ContainerRunner containers;
    @Inject
    ContainerSlots slots;
    @Inject
    DockerClientProvider docker;
    @Inject
    InstallId installId;
    @Inject
    Sessions sessions;
    @Inject
    SessionFolders folders;
    @Inject
    SessionDbs dbs;
    @Inject
    SweepJob sweep;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    CoreFixture fx;
    @Inject
    Db db;

    private Path socket() {
        return HostWithFakeModel.home.resolve("data/cli.sock");
    }

    /** Running containers of this install (other engineers' tests use other labels). */
    private List<Container> ours() {
        return docker.get().listContainersCmd().withLabelFilter(Map.of(InstallId.LABEL, installId.value())).exec();
    }

    private List<String> runningSessions() {
        List<String> out = new ArrayList<>();
        for (Container c : ours()) {
            out.add(c.getLabels().get(SESSION_LABEL));
        }
        return out;
    }

    private Session sessionOf(String agentGroupId) {
        List<Session> of = sessions.activeOf(agentGroupId);
        assertEquals(1, of.size(), "one session per group in this test");
        return of.get(0);
    }

    private AgentGroup main() {
        return db.one("SELECT id, name, folder, created_at FROM agent_groups WHERE folder = 'main'",
                rs -> new AgentGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .orElseThrow();
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    private void stopAndWait(Session s) throws InterruptedException {
        containers.stop(s.id());
        await("the container of " + s.id() + " stopped", Duration.ofSeconds(30), () -> !containers.isRunning(s.id()));
    }

    /** The next line on the CLI socket that contains the text (notices and replies share the socket). */
    private static String nextContaining(CliClient cli, String text, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        List<String> seen = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            String line = cli.next(Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())));
            if (line == null) {
                break;
            }
            if (line.contains(text)) {
                return line;
            }
            seen.add(line);
        }
        fail("no line containing '" + text + "' within " + timeout.toSeconds() + " s; got " + seen);
        return null;
    }

    private List<Object[]> inboundRows(Session s, String contentLike) throws Exception {
        Path in = folders.inbound(s.agentGroupId(), s.id());
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + in + "?mode=ro");
             PreparedStatement ps = c.prepareStatement("SELECT id, status, tries, channel_type, content "
                     + "FROM messages_in WHERE content LIKE ? ORDER BY seq")) {
            ps.setString(1, contentLike);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5)});
                }
            }
        }
        return rows;
    }

    @Test
    @Order(1)
    void twoAgentGroupsShareTheCliChatAndTheFirstAnswers() throws Exception {
        MessagingGroup cliChat = messagingGroups.find("cli", "local").orElseThrow();
        AgentGroup main = main();
        db.update("UPDATE messaging_group_agents SET engage_pattern = '^a:' WHERE agent_group_id = ?", main.id());
        bee = fx.group("Bee");
        fx.wire(cliChat, bee, "pattern", "^b:", "all", "drop", "shared", 0);
        assertTrue(ours().isEmpty(), "a fresh install runs no container yet");
        try (CliClient cli = new CliClient(socket())) {
            cli.sendRaw("{\"text\":\"a: hello\"}");
            String reply = cli.next(REPLY_TIMEOUT);
            assertNotNull(reply, "no reply from main");
            assertTrue(reply.contains("echo:") && reply.contains("a: hello"), reply);
        }
        assertEquals(List.of(sessionOf(main.id()).id()), runningSessions());
    }

    @Test
    @Order(2)
    void twoWakesOfOneSessionAtOnceStartOneContainer() throws Exception {
        Session a = sessionOf(main().id());
        stopAndWait(a);
        assertEquals(0, slots.inUse(), "the exit gave the slot back");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> wakes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                wakes.add(pool.submit(() -> {
                    go.await();
                    return containers.wake(a);
                }));
            }
            go.countDown();
            for (Future<Boolean> w : wakes) {
                assertTrue(w.get(), "both wakes report the one container as running");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(a.id()), runningSessions(), "one container, not two");
        assertEquals(1, slots.inUse());
    }

    @Test
    @Order(3)
    void aWakeBeyondTheCapWaitsAndStartsWhenTheRunningContainerStops() throws Exception {
        Session a = sessionOf(main().id());
        assertTrue(containers.isRunning(a.id()), "main's container runs and holds the only slot");
        try (CliClient cli = new CliClient(socket())) {
            cli.sendRaw("{\"text\":\"b: hello from the queue\"}");
            String notice = nextContaining(cli, "queued", Duration.ofSeconds(20));
            assertTrue(notice.contains("slots are busy") && !notice.contains("couldn't start"), notice);
            Session b = sessionOf(bee.id());
            assertTrue(slots.isQueued(b.id()));
            assertFalse(containers.isRunning(b.id()));
            // A second message of the queued session joins its place and is not announced again.
            cli.sendRaw("{\"text\":\"b: still there?\"}");
            Thread.sleep(3000);
            assertEquals(List.of(a.id()), runningSessions(), "the cap holds: bee waits");
            assertEquals(List.of(b.id()), slots.queued());
            assertEquals(null, cli.next(Duration.ofMillis(1)), "nothing else was said meanwhile");

            containers.stop(a.id());
            String reply = nextContaining(cli, "hello from the queue", REPLY_TIMEOUT);
            assertTrue(reply.contains("echo:"), reply);
            assertEquals(List.of(b.id()), runningSessions(), "main's container is gone, bee's runs");
            assertFalse(slots.isQueued(b.id()));
            assertEquals(1, slots.inUse());
        }
        assertTrue(HostWithFakeModel.model.problems.isEmpty(), HostWithFakeModel.model.problems.toString());
    }

    @Test
    @Order(4)
    void aQueuedSessionWhoseMessagesWereHandledMeanwhileLeavesTheQueue() throws Exception {
        Session a = sessionOf(main().id());
        Session b = sessionOf(bee.id());
        assertTrue(containers.isRunning(b.id()));
        try (CliClient cli = new CliClient(socket())) {
            cli.sendRaw("{\"text\":\"a: never mind\"}");
            nextContaining(cli, "queued", Duration.ofSeconds(20));
            assertTrue(slots.isQueued(a.id()));
            // Settled while it waited (as an ack sync would): nothing is left for a container to do.
            dbs.withInbound(a.agentGroupId(), a.id(), c -> c.createStatement().executeUpdate(
                    "UPDATE messages_in SET status = 'completed' WHERE status = 'pending'"));
            stopAndWait(b);
            await("the freed slot was handed back", Duration.ofSeconds(10), () -> slots.inUse() == 0);
            assertFalse(slots.isQueued(a.id()));
            assertFalse(containers.isRunning(a.id()), "no container for a session with nothing to do");
            assertTrue(ours().isEmpty());
        }
    }

    @Test
    @Order(5)
    void aContainerKilledAtItsMemoryLimitFailsTheMessageTellsTheUserAndTheNextMessageStartsAFreshOne()
            throws Exception {
        var info = docker.get().infoCmd().exec();
        String engine = "Docker " + info.getServerVersion() + ", cgroup " + info.getCGroupVersion() + " ("
                + info.getCGroupDriver() + ")";
        assertNotEquals(Boolean.FALSE, info.getMemoryLimit(), "this Docker engine (" + engine + ") reports no memory "
                + "limit support, so a container can't be killed at its memory limit here");
        Session b = sessionOf(bee.id());
        assertFalse(containers.isRunning(b.id()));
        db.update("UPDATE container_configs SET memory_mb = 96 WHERE agent_group_id = ?", bee.id());
        var model = HostWithFakeModel.model;
        model.callToolWhen("eat memory", "Bash", "{\"command\":\"" + MEMORY_BOMB + "\"}");
        try (CliClient cli = new CliClient(socket())) {
            cli.sendRaw("{\"text\":\"b: eat memory\"}");
            String notice = null;
            long deadline = System.currentTimeMillis() + REPLY_TIMEOUT.toMillis();
            List<String> seen = new ArrayList<>();
            while (notice == null && System.currentTimeMillis() < deadline) {
                String line = cli.next(Duration.ofSeconds(1));
                if (line != null && line.contains("ran out of memory")) {
                    notice = line;
                } else if (line != null) {
                    seen.add(line);
                }
            }
            if (notice == null) {
                fail("no out-of-memory notice within " + REPLY_TIMEOUT.toSeconds() + " s on " + engine + ". The "
                        + "container " + (containers.isRunning(b.id()) ? "still runs" : "stopped") + "; if it "
                        + "runs, the 96 MB memory limit is not enforced by this engine. CLI lines: " + seen);
            }
            assertTrue(notice.contains("limit 96 MB") && notice.contains("container_configs.memory_mb")
                    && notice.contains("was not finished"), notice);
            assertFalse(containers.isRunning(b.id()), "the killed container is gone");

            List<Object[]> rows = inboundRows(b, "%eat memory%");
            assertEquals(1, rows.size());
            assertEquals("failed", rows.get(0)[1], "the message the agent was working on is failed, not retried");
            List<Object[]> notes = inboundRows(b, "%memory limit (96 MB)%");
            assertEquals(1, notes.size(), "the agent got a note");
            assertEquals("agent", notes.get(0)[3]);

            // The sweep treats the failed row as settled: no retry, no wake, no tries counted.
            sweep.sweep(sessions.byId(b.id()).orElseThrow());
            rows = inboundRows(b, "%eat memory%");
            assertEquals("failed", rows.get(0)[1]);
            assertEquals(0, rows.get(0)[2]);
            assertFalse(containers.isRunning(b.id()), "nothing left to do: the sweep starts nothing");

            int before = model.requests.size();
            // A fixed answer: an echo of the batch (note included) would be cut at the note's own </message>.
            model.replyWhen("are you back", "<message to=\"cli\">back after the memory kill</message>");
            cli.sendRaw("{\"text\":\"b: are you back\"}");
            nextContaining(cli, "back after the memory kill", REPLY_TIMEOUT);
            assertTrue(containers.isRunning(b.id()), "a fresh container answered");
            assertEquals(List.of(b.id()), runningSessions());
            JsonNode last = model.requests.get(model.requests.size() - 1);
            assertTrue(model.requests.size() > before);
            assertTrue(last.path("messages").toString().contains("killed at its memory limit"),
                    "the agent read the host's note with its next batch");
        }
        assertTrue(HostWithFakeModel.model.problems.isEmpty(), HostWithFakeModel.model.problems.toString());
    }
}
