package io.nanoclaw.host.cli;

import static io.nanoclaw.host.cli.NclTestSupport.ncl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.cli.Completion;
import io.nanoclaw.host.cli.NclTestSupport.Result;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.entities.Wiring;
import io.nanoclaw.host.routing.DropAudit;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * ncl through the real socket and the real client (io.nanoclaw.cli.Main): every command, the side effects of
 * creating and deleting, and bad input with its exit code and one clear line.
 */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class NclSocketTest {
    private static final ObjectMapper M = new ObjectMapper();
    static final String CT = "ncltest";

    @Inject
    HostConfig config;
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    DropAudit dropAudit;
    @Inject
    NclDispatcher dispatcher;

    /** One row per command: what it covers, the command line, the exit code and a piece of the output. */
    record Case(String covers, String[] argv, int code, String expect) {}

    private static Case c(String covers, int code, String expect, String... argv) {
        return new Case(covers, argv, code, expect);
    }

    private Result run(String... argv) {
        return ncl(config.home(), argv);
    }

    @TestFactory
    Stream<DynamicTest> everyCommandThroughTheSocket() throws Exception {
        String u = CoreFixture.unique("");
        AgentGroup a = fx.group("NclA" + u);
        AgentGroup b = fx.group("NclB" + u);
        MessagingGroup chatA = fx.chat(CT, "chat a" + u, false, "public");
        MessagingGroup chat2 = fx.chat(CT, "chat two" + u, true, "strict");
        MessagingGroup chat3 = fx.chat(CT, "chat three" + u, true, "strict");
        MessagingGroup chat4 = fx.chat(CT, "chat four" + u, true, "strict");
        Wiring wireA = fx.wireAll(chatA, a);
        Wiring wire4 = fx.wireAll(chat4, a);
        Session sessA = resolver.resolve(a.id(), chatA.id(), null, "shared");
        Session sessClose = resolver.resolve(a.id(), chat4.id(), null, "shared");
        java.nio.file.Path backupTo = java.nio.file.Files.createTempDirectory("ncl-backup-").resolve("b.tar.gz");
        String user = CT + ":u1" + u;
        fx.member(user, a);
        fx.role(CT + ":adm" + u, "admin", a);
        String approval = "appr-ncl" + u;
        fx.db.update("INSERT INTO pending_approvals(approval_id, session_id, action, payload, created_at, "
                + "agent_group_id, status, title) VALUES (?, ?, 'add_mcp_server', ?, '2026-01-01T00:00:00Z', ?, "
                + "'pending', 'x')", approval, sessA.id(),
                "{\"name\":\"s\",\"command\":\"c\",\"env\":{\"TOKEN\":\"s3cret\"}}", a.id());
        fx.db.update("INSERT INTO user_dms(user_id, channel_type, messaging_group_id, resolved_at) "
                + "VALUES (?, ?, ?, 'now')", user, CT, chat3.id());
        dropAudit.record(CT, "dropped" + u, null, "someone", "no_agent_wired", null, null);
        String destName = fx.db.one("SELECT local_name FROM agent_destinations WHERE agent_group_id = ? "
                + "AND target_id = ?", rs -> rs.getString(1), a.id(), chatA.id()).orElseThrow();

        List<Case> cases = List.of(
                c("help", 0, "groups config add-mcp-server", "help"),
                c("help", 0, "groups restart", "groups", "help"),
                c("groups-list", 0, a.id(), "groups", "list", "--id", a.id()),
                c("groups-get", 0, a.folder(), "groups", "get", a.id()),
                c("groups-create", 0, "ncl-made", "groups", "create", "--name", "Ncl Made" + u),
                c("groups-update", 0, "NclA renamed", "groups", "update", "--id", a.id(), "--name", "NclA renamed"),
                c("groups-restart", 0, "restarted", "groups", "restart", "--id", a.id(), "--message", "hi"),
                c("groups-config-get", 0, "cli_scope", "groups", "config", "get", "--id", a.id()),
                c("groups-config-update", 0, "test-model", "groups", "config", "update", "--id", a.id(), "--model",
                        "test-model", "--max-messages-per-prompt", "7"),
                c("groups-config-add-mcp-server", 0, "was added", "groups", "config", "add-mcp-server", "--id",
                        a.id(), "--name", "fs", "--command", "npx", "--args", "-y @mcp/fs", "--env", "TOKEN=s3cret"),
                c("groups-config-get", 0, "\"TOKEN\" : \"***\"", "groups", "config", "get", "--id", a.id()),
                c("groups-config-remove-mcp-server", 0, "\"removed\" : \"fs\"", "groups", "config",
                        "remove-mcp-server", "--id", a.id(), "--name", "fs"),
                c("groups-config-add-package", 1, "error (handler-error): packages need an image build", "groups",
                        "config", "add-package", "--id", a.id(), "--apt", "curl"),
                c("groups-config-remove-package", 1, "turned off", "groups", "config", "remove-package", "--id",
                        a.id(), "--apt", "curl"),
                c("messaging-groups-list", 0, chatA.id(), "messaging-groups", "list", "--channel-type", CT),
                c("messaging-groups-get", 0, wireA.id(), "messaging-groups", "get", "--id", chatA.id()),
                c("messaging-groups-create", 0, "made" + u, "messaging-groups", "create", "--channel-type", CT,
                        "--platform-id", "p" + u, "--name", "made" + u, "--is-group"),
                c("messaging-groups-update", 0, "public", "messaging-groups", "update", "--id", chat2.id(),
                        "--name", "renamed", "--unknown-sender-policy", "public"),
                c("messaging-groups-delete", 0, "\"deleted\" : \"" + chat2.id(), "messaging-groups", "delete",
                        "--id", chat2.id()),
                c("wirings-list", 0, wireA.id(), "wirings", "list", "--group", a.id()),
                c("wirings-get", 0, "engage_mode", "wirings", "get", "--id", wireA.id()),
                c("wirings-create", 0, chat3.id(), "wirings", "create", "--messaging-group", chat3.id(), "--group",
                        a.id(), "--engage-mode", "mention"),
                c("wirings-update", 0, "\"priority\" : 5", "wirings", "update", "--id", wireA.id(), "--priority",
                        "5"),
                c("wirings-delete", 0, "\"destinations_removed\" : 1", "wirings", "delete", "--id", wire4.id()),
                c("users-list", 0, user, "users", "list", "--kind", CT),
                c("users-get", 0, "memberships", "users", "get", "--id", user),
                c("users-create", 0, "New One", "users", "create", "--id", CT + ":new" + u, "--display-name",
                        "New One"),
                c("users-update", 0, "U One", "users", "update", "--id", user, "--display-name", "U One"),
                c("roles-list", 0, CT + ":adm" + u, "roles", "list", "--group", a.id()),
                c("roles-grant", 0, "admin", "roles", "grant", "--user", user, "--role", "admin", "--group", a.id()),
                c("roles-revoke", 0, "revoked", "roles", "revoke", "--user", user, "--role", "admin", "--group",
                        a.id()),
                c("members-list", 0, user, "members", "list", "--group", a.id()),
                c("members-add", 0, "\"user_created\" : true", "members", "add", "--user", CT + ":m" + u, "--group",
                        a.id()),
                c("members-remove", 0, "removed", "members", "remove", "--user", user, "--group", a.id()),
                c("destinations-list", 0, destName, "destinations", "list", "--group", a.id()),
                c("destinations-add", 0, "peer-b", "destinations", "add", "--group", a.id(), "--name", "peer-b",
                        "--agent", b.id()),
                c("destinations-remove", 0, "peer-b", "destinations", "remove", "--group", a.id(), "--name",
                        "peer-b"),
                c("sessions-list", 0, sessA.id(), "sessions", "list", "--group", a.id()),
                c("sessions-get", 0, "container_running", "sessions", "get", sessA.id()),
                c("approvals-list", 0, approval, "approvals", "list", "--group", a.id()),
                c("approvals-get", 0, "\"TOKEN\" : \"***\"", "approvals", "get", "--id", approval),
                c("user-dms-list", 0, chat3.id(), "user-dms", "list", "--user", user),
                c("dropped-messages-list", 0, "no_agent_wired", "dropped-messages", "list", "--platform-id",
                        "dropped" + u),
                c("groups-delete", 0, "\"deleted\" : \"" + b.id(), "groups", "delete", "--id", b.id()),
                c("test-operator-only", 0, "\"ran\" : true", "test", "operator", "only"),
                c("status", 0, "uptimeSeconds", "status"),
                c("doctor", 0, "check", "doctor"),
                c("usage", 0, "", "usage", "--group", a.id()),
                c("logs", 1, "error (not-found): no log file", "logs", "--lines", "5"),
                c("backup", 0, backupTo.toString(), "backup", "--to", backupTo.toString()),
                c("sessions-close", 0, "closed", "sessions", "close", "--id", sessClose.id()),
                c("pairing-create", 0, "instructions", "pairing", "create"));

        List<DynamicTest> tests = new ArrayList<>();
        Set<String> covered = new TreeSet<>();
        for (Case k : cases) {
            covered.add(k.covers());
            tests.add(DynamicTest.dynamicTest(String.join(" ", k.argv()), () -> {
                Result r = run(k.argv());
                assertEquals(k.code(), r.code(), r.toString());
                String shown = k.code() == 0 ? r.out() : r.err();
                assertTrue(shown.contains(k.expect()), "expected '" + k.expect() + "' in\n" + r);
                if (k.code() != 0) {
                    assertEquals(1, r.err().lines().count(), "one line: " + r);
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("every command has a row", () -> {
            Set<String> missing = new TreeSet<>(dispatcher.handlers().keySet());
            missing.removeAll(covered);
            assertTrue(missing.isEmpty(), "commands without a row in this table: " + missing);
        }));
        tests.add(DynamicTest.dynamicTest("secrets never shown", () -> {
            assertFalse(run("groups", "config", "get", "--id", a.id(), "--json").out().contains("s3cret"));
            assertFalse(run("approvals", "get", approval).out().contains("s3cret"));
        }));
        return tests.stream();
    }

    @Test
    void flatRowsPrintAsATableAndJsonPrintsTheFrame() {
        Result t = run("groups", "list", "--limit", "1");
        assertEquals(0, t.code(), t.toString());
        assertTrue(t.out().startsWith("id "), t.out());
        assertTrue(t.out().lines().skip(1).findFirst().orElse("").startsWith("--"), t.out());
        Result j = run("groups", "list", "--limit", "1", "--json");
        assertTrue(j.out().contains("\"ok\" : true") && j.out().contains("\"data\" : ["), j.out());
        Result none = run("sessions", "list", "--group", "ag-none");
        assertEquals("(no rows)\n", none.out());
    }

    @Test
    void createAndDeleteHaveTheSideEffectsOfTheCodePaths() throws Exception {
        String u = CoreFixture.unique("");
        // groups create: the folder with its memory file, and the container config row
        Result made = run("groups", "create", "--name", "Side Effects" + u, "--folder", "side" + u,
                "--instructions", "Be brief.", "--json");
        assertEquals(0, made.code(), made.toString());
        String id = M.readTree(made.out()).path("data").path("id").asText();
        Path folder = config.groupsDir().resolve("side" + u);
        assertEquals("Be brief.", Files.readString(folder.resolve("CLAUDE.local.md")));
        assertEquals(1, fx.db.query("SELECT 1 FROM container_configs WHERE agent_group_id = ?", rs -> 1, id).size());
        Result taken = run("groups", "create", "--name", "Again", "--folder", "side" + u);
        assertEquals(1, taken.code());
        assertTrue(taken.err().contains("the folder 'side" + u + "' is taken"), taken.toString());

        // wirings create: the destination, projected into the group's running session at once
        AgentGroup g = fx.group("Wired" + u);
        MessagingGroup home = fx.chat(CT, "home" + u, false, "public");
        fx.wireAll(home, g);
        Session s = resolver.resolve(g.id(), home.id(), null, "shared");
        MessagingGroup other = fx.chat(CT, "Other Chat " + u, true, "strict");
        Result w = run("wirings", "create", "--messaging-group", other.id(), "--group", g.id(), "--json");
        assertEquals(0, w.code(), w.toString());
        String wiring = M.readTree(w.out()).path("data").path("id").asText();
        String dest = fx.db.one("SELECT local_name FROM agent_destinations WHERE agent_group_id = ? "
                + "AND target_type = 'channel' AND target_id = ?", rs -> rs.getString(1), g.id(), other.id())
                .orElseThrow();
        assertTrue(projected(g, s).contains(dest), "projected: " + projected(g, s));
        // wirings delete: both go
        assertEquals(0, run("wirings", "delete", "--id", wiring).code());
        assertTrue(fx.db.query("SELECT 1 FROM agent_destinations WHERE agent_group_id = ? AND target_id = ?",
                rs -> 1, g.id(), other.id()).isEmpty());
        assertFalse(projected(g, s).contains(dest), "projected: " + projected(g, s));

        // destinations add/remove: re-projected too
        assertEquals(0, run("destinations", "add", "--group", g.id(), "--name", "made-up", "--agent", id).code());
        assertTrue(projected(g, s).contains("made-up"));

        // groups delete: rows, folder (archived), session folders, destinations pointing at it
        AgentGroup doomed = fx.group("Doomed" + u);
        MessagingGroup dchat = fx.chat(CT, "doomed" + u, false, "public");
        fx.wireAll(dchat, doomed);
        Session ds = resolver.resolve(doomed.id(), dchat.id(), null, "shared");
        Files.createDirectories(config.groupsDir().resolve(doomed.folder()));
        Files.writeString(config.groupsDir().resolve(doomed.folder()).resolve("CLAUDE.local.md"), "memory");
        assertEquals(0, run("destinations", "add", "--group", g.id(), "--name", "doomed", "--agent", doomed.id())
                .code());
        assertTrue(projected(g, s).contains("doomed"));
        Path sessionDir = config.sessionsDir().resolve(doomed.id());
        assertTrue(Files.isDirectory(sessionDir));
        Result del = run("groups", "delete", doomed.id(), "--json");
        assertEquals(0, del.code(), del.toString());
        String archived = M.readTree(del.out()).path("data").path("folder_archived_to").asText();
        assertEquals("memory", Files.readString(config.home().resolve(archived).resolve("CLAUDE.local.md")));
        assertFalse(Files.exists(config.groupsDir().resolve(doomed.folder())));
        assertFalse(Files.exists(sessionDir));
        for (String table : List.of("agent_groups WHERE id", "sessions WHERE agent_group_id",
                "messaging_group_agents WHERE agent_group_id", "container_configs WHERE agent_group_id",
                "agent_destinations WHERE target_id")) {
            assertTrue(fx.db.query("SELECT 1 FROM " + table + " = ?", rs -> 1, doomed.id()).isEmpty(), table);
        }
        assertFalse(projected(g, s).contains("doomed"), "re-projected without the deleted group");
        assertTrue(ds.id().startsWith("sess-"));
        assertEquals(1, run("groups", "get", doomed.id()).code());
    }

    private List<String> projected(AgentGroup g, Session s) throws Exception {
        return fx.inboundRows(g.id(), s.id(), "SELECT name FROM destinations").stream().map(r -> r[0]).toList();
    }

    @Test
    void badInputGetsOneClearLineAndTheRightExitCode() throws Exception {
        AgentGroup g = fx.group("Bad" + CoreFixture.unique(""));
        assertError(run("grups", "list"), "unknown-command", "did you mean 'groups list'?");
        assertError(run("groups", "lst"), "unknown-command", "did you mean 'groups list'?");
        assertError(run("frobnicate"), "unknown-command", "run `ncl help`");
        assertError(run("groups"), "unknown-command", "'groups' needs a verb: list, get");
        assertError(run("groups", "create", "--nmae", "x"), "invalid-args", "unknown argument --nmae for 'groups "
                + "create'; did you mean --name?");
        assertError(run("groups", "create"), "invalid-args", "missing --name");
        assertError(run("wirings", "update", "--id", "mga-1", "--priority", "high"), "invalid-args",
                "--priority must be a whole number");
        assertError(run("wirings", "create", "--messaging-group", "mg-x", "--group", g.id(), "--engage-mode",
                "always"), "invalid-args", "--engage-mode must be one of pattern, mention, mention-sticky");
        assertError(run("groups", "config", "update", "--id", g.id(), "--cli-scope", "root"), "invalid-args",
                "--cli-scope must be one of disabled, group, global");
        assertError(run("groups", "get", "ag-does-not-exist"), "not-found", "no agent group 'ag-does-not-exist'");
        assertError(run("wirings", "delete", "--id", "mga-nope"), "not-found", "no wiring 'mga-nope'");
        assertError(run("roles", "grant", "--user", "nobody", "--role", "admin"), "invalid-args",
                "--user must be <channel>:<handle>");
        assertError(run("roles", "grant", "--user", CT + ":ghost", "--role", "admin"), "not-found",
                "no user 'ncltest:ghost'");
        assertError(run("groups", "get", "ag-1", "--id", "ag-2"), "invalid-args", "two ids given");

        Path elsewhere = Files.createTempDirectory("ncl-no-host-");
        Result r = ncl(elsewhere, "groups", "list");
        assertEquals(2, r.code());
        assertEquals("ncl: cannot reach the host at " + elsewhere.resolve("data/ncl.sock")
                + ": is the host running? (./nanoclaw start)\n", r.err());
    }

    private static void assertError(Result r, String code, String text) {
        assertEquals(1, r.code(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().startsWith("error (" + code + "): ") && r.err().contains(text), r.toString());
    }

    @Test
    void theSocketIsPrivateAndRefusesMalformedRequests() throws Exception {
        Path socket = config.dataDir().resolve("ncl.sock");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        JsonNode bad = raw(socket, "this is not json\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("invalid-args", bad.path("error").path("code").asText());
        assertTrue(bad.path("error").path("message").asText().contains("malformed request"));
        JsonNode noCommand = raw(socket, "{\"id\":\"7\"}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("7", noCommand.path("id").asText());
        assertEquals("invalid-args", noCommand.path("error").path("code").asText());
        byte[] huge = ("{\"id\":\"1\",\"command\":\"help\",\"args\":{\"x\":\"" + "a".repeat(70_000) + "\"}}\n")
                .getBytes(StandardCharsets.UTF_8);
        JsonNode tooLong = raw(socket, huge);
        assertTrue(tooLong.path("error").path("message").asText().contains("request too long"), tooLong.toString());
        JsonNode ok = raw(socket, "{\"id\":\"9\",\"command\":\"groups-list\",\"args\":{\"limit\":\"1\"}}\n"
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(ok.path("ok").asBoolean(), ok.toString());
        assertEquals("9", ok.path("id").asText());
    }

    private static JsonNode raw(Path socket, byte[] request) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                    StandardCharsets.UTF_8));
            return M.readTree(in.readLine());
        }
    }

    @Test
    void theClientsCompletionTableMatchesTheHostsCommands() throws Exception {
        Result help = run("help", "--json");
        assertEquals(0, help.code());
        Set<String> client = new TreeSet<>(Completion.COMMANDS);
        List<String> missing = new ArrayList<>();
        for (JsonNode row : M.readTree(help.out()).path("data")) {
            String cmd = row.path("command").asText();
            if (!cmd.startsWith("test ") && !client.contains(cmd)) {
                missing.add(cmd);
            }
        }
        assertTrue(missing.isEmpty(), "add these to io.nanoclaw.cli.Completion.COMMANDS: " + missing);
    }
}
