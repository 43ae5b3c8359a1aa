package io.nanoclaw.host.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.cli.backup.Restore;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.operator.Calls;
import io.nanoclaw.host.operator.OperatorProfile;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.CoreFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * ncl backup, then the client's offline restore into a fresh home: the restored DBs give the same answers to
 * {@code groups list} and {@code wirings list} (the tables those commands read) and a session's messages.
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
class BackupRestoreTest {
    @Inject
    BackupCommand backup;
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    InboundWriter inbound;
    @Inject
    HostConfig config;

    /** Every row of a query, as strings, in order. */
    static List<List<String>> rows(Connection c, String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> r = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    r.add(rs.getString(i));
                }
                out.add(r);
            }
        }
        return out;
    }

    static Connection open(Path db) throws Exception {
        Properties p = new Properties();
        p.setProperty("open_mode", "1");
        return org.sqlite.JDBC.createConnection("jdbc:sqlite:" + db, p);
    }

    private static final String GROUPS = "SELECT * FROM agent_groups ORDER BY id";
    private static final String WIRINGS = "SELECT * FROM messaging_group_agents ORDER BY id";
    private static final String CHATS = "SELECT * FROM messaging_groups ORDER BY id";
    private static final String SESSIONS = "SELECT * FROM sessions ORDER BY id";
    private static final String MESSAGES = "SELECT * FROM messages_in ORDER BY seq";
    private static final String REPLIES = "SELECT * FROM messages_out ORDER BY seq";

    @Test
    void backupThenRestoreIntoAFreshHomeGivesTheSameAnswers() throws Exception {
        AgentGroup ag = fx.group("Backed");
        AgentGroup other = fx.group("Other");
        MessagingGroup chat = fx.chat("cli", CoreFixture.unique("b"), false, "public");
        MessagingGroup chat2 = fx.chat("cli", CoreFixture.unique("b"), true, "strict");
        fx.wireAll(chat, ag);
        fx.wire(chat2, other, "mention", null, "known", "accumulate", "per-thread", 3);
        Session s = resolver.resolve(ag.id(), chat.id(), null, "shared");
        for (int i = 0; i < 3; i++) {
            inbound.write(ag.id(), s.id(), InboundRow.chat("m" + i + "-" + s.id(), "chat", chat.platformId(),
                    "cli", null, "{\"text\":\"message " + i + " é\"}", true));
        }
        fx.containerWrites(ag.id(), s.id(), "cli", chat.platformId(), null, "chat", "{\"text\":\"reply\"}");
        Path groupDir = config.groupsDir().resolve(ag.folder());
        Files.createDirectories(groupDir.resolve("notes/deep"));
        Files.writeString(groupDir.resolve("CLAUDE.local.md"), "the agent's memory\n");
        String longName = "notes/deep/" + "n".repeat(150) + ".md"; // over ustar's 100-byte name: a pax record
        Files.writeString(groupDir.resolve(longName), "long");
        Files.createSymbolicLink(groupDir.resolve("escape"), Path.of("/etc"));
        Path state = config.sessionsDir().resolve(ag.id()).resolve(".agent-state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("conversation.jsonl"), "{\"turn\":1}\n");

        Path tmp = Files.createTempDirectory("ncl-backup-test-");
        Path archive = tmp.resolve("b.tar.gz");
        JsonNode r = backup.handle(Calls.operator("backup", "to", archive.toString()));
        assertEquals(archive.toString(), r.path("archive").asText());
        assertEquals(Files.size(archive), r.path("bytes").asLong());
        assertTrue(r.path("sessions").asInt() >= 1, r.toString());
        assertTrue(r.path("files").asInt() >= 5, r.toString());
        assertTrue(r.path("skipped").toString().contains("escape (symlink)"), r.toString());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(archive)), "the archive holds conversations: owner only");
        assertTrue(tarLists(archive).contains("manifest.json"), "a standard tar reads it");

        Path home = tmp.resolve("fresh-home");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Restore.run(List.of("--from", archive.toString(), "--home", home.toString()),
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));

        try (Connection orig = fx.db.connection(); Connection back = open(home.resolve("data/nanoclaw.db"))) {
            for (String q : List.of(GROUPS, WIRINGS, CHATS, SESSIONS)) {
                assertEquals(rows(orig, q), rows(back, q), q);
            }
            assertTrue(rows(back, GROUPS).stream().anyMatch(g -> g.get(0).equals(ag.id())));
            assertTrue(rows(back, WIRINGS).size() >= 2);
        }
        Path sessionDir = Path.of(ag.id(), s.id());
        try (Connection origIn = open(config.sessionsDir().resolve(sessionDir).resolve("inbound.db"));
             Connection backIn = open(home.resolve("data/sessions").resolve(sessionDir).resolve("inbound.db"));
             Connection origOut = open(config.sessionsDir().resolve(sessionDir).resolve("outbound.db"));
             Connection backOut = open(home.resolve("data/sessions").resolve(sessionDir).resolve("outbound.db"))) {
            List<List<String>> msgs = rows(backIn, MESSAGES);
            assertEquals(rows(origIn, MESSAGES), msgs);
            assertTrue(msgs.stream().filter(m -> m.toString().contains("message")).count() >= 3, msgs.toString());
            assertEquals(rows(origOut, REPLIES), rows(backOut, REPLIES));
            assertEquals(1, rows(backOut, REPLIES).size());
        }
        Path restoredGroup = home.resolve("groups").resolve(ag.folder());
        assertEquals("the agent's memory\n", Files.readString(restoredGroup.resolve("CLAUDE.local.md")));
        assertEquals("long", Files.readString(restoredGroup.resolve(longName)));
        assertFalse(Files.exists(restoredGroup.resolve("escape"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("{\"turn\":1}\n", Files.readString(home.resolve("data/sessions").resolve(ag.id())
                .resolve(".agent-state/conversation.jsonl")));
        assertTrue(Files.isDirectory(home.resolve("data/sessions").resolve(sessionDir).resolve("outbox")));
        assertFalse(Files.exists(home.resolve(".env")), ".env is never in a backup");
    }

    private static String tarLists(Path archive) throws Exception {
        Process p = new ProcessBuilder("tar", "-tzf", archive.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), listing);
        return listing;
    }

    @Test
    void theDefaultArchiveGoesIntoDataBackups() throws Exception {
        JsonNode r = backup.handle(Calls.operator("backup"));
        Path a = Path.of(r.path("archive").asText());
        assertEquals(config.dataDir().resolve("backups"), a.getParent());
        assertTrue(a.getFileName().toString().matches("nanoclaw-\\d{8}T\\d{6}Z\\.tar\\.gz"), a.toString());
        assertTrue(Files.isRegularFile(a));
        try (var ls = Files.list(config.dataDir())) {
            assertTrue(ls.noneMatch(p -> p.getFileName().toString().startsWith(".backup-")), "staging removed");
        }
        Files.delete(a);
    }

    @Test
    void badTargetsAreRefusedInOneLine() throws Exception {
        AgentGroup ag = fx.group("T");
        Files.createDirectories(config.groupsDir().resolve(ag.folder()));
        Path existing = Files.createTempFile("ncl-exists-", ".tar.gz");
        Path linkToGroups = Files.createTempDirectory("ncl-link-").resolve("to-groups");
        Files.createSymbolicLink(linkToGroups, config.groupsDir());
        for (String[] bad : List.of(
                new String[] {config.groupsDir().resolve(ag.folder()).resolve("b.tar.gz").toString(), "containers"},
                new String[] {config.sessionsDir().resolve("x.tar.gz").toString(), "containers"},
                new String[] {linkToGroups.resolve("b.tar.gz").toString(), "containers"},
                new String[] {"relative/b.tar.gz", "absolute"},
                new String[] {existing.toString(), "already exists"},
                new String[] {"/nonexistent-dir-" + System.nanoTime() + "/b.tar.gz", "does not exist"})) {
            NclException e = assertThrows(NclException.class,
                    () -> backup.handle(Calls.operator("backup", "to", bad[0])), bad[0]);
            assertEquals(NclException.INVALID_ARGS, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertFalse(Files.exists(config.groupsDir().resolve(ag.folder()).resolve("b.tar.gz")));
        assertEquals(0, Files.size(existing), "an existing file is never overwritten");
        assertTrue(Arrays.asList(Files.list(config.sessionsDir()).toArray()).stream()
                .noneMatch(p -> p.toString().endsWith(".tar.gz")));
    }
}
