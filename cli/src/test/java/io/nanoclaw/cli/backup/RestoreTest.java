package io.nanoclaw.cli.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreTest {
    @TempDir
    Path tmp;
    Path home;
    Path scratch;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        scratch = Files.createDirectories(tmp.resolve("scratch"));
    }

    private int restore(Path archive, String... extra) {
        List<String> args = new ArrayList<>(List.of("--from", archive.toString(), "--home", home.toString()));
        args.addAll(List.of(extra));
        return Restore.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Nothing of a refused archive may land in the home, and no staging folder may be left. */
    private void assertHomeUntouched() throws Exception {
        assertFalse(Files.exists(home.resolve("data/nanoclaw.db")));
        assertFalse(Files.exists(home.resolve("groups/main")));
        assertFalse(Files.exists(tmp.resolve("evil")));
        if (Files.isDirectory(home)) {
            try (Stream<Path> s = Files.list(home)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".restore-")), "staging left");
            }
        }
    }

    @Test
    void aGoodArchiveIsRestoredIntoAFreshHome() throws Exception {
        Path a = TestArchive.minimal(scratch).write(tmp.resolve("ok.tar.gz"));
        assertEquals(0, restore(a), errText());
        try (var c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + home.resolve("data/nanoclaw.db"),
                new java.util.Properties()); ResultSet rs = c.createStatement()
                .executeQuery("SELECT name FROM agent_groups")) {
            assertTrue(rs.next());
            assertEquals("main", rs.getString(1));
        }
        Path session = home.resolve("data/sessions/ag-1/s-1");
        assertTrue(Files.isRegularFile(session.resolve("inbound.db")));
        assertTrue(Files.isRegularFile(session.resolve("outbound.db")));
        assertTrue(Files.isDirectory(session.resolve("inbox")) && Files.isDirectory(session.resolve("outbox")));
        assertEquals("remember\n", Files.readString(home.resolve("groups/main/CLAUDE.local.md")));
        assertTrue(Files.exists(home.resolve("data/sessions/ag-1/.agent-state/conv.jsonl")));
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("restored 5 files (1 sessions") && said.contains(".env"), said);
        assertHomeStagingGone();
    }

    private void assertHomeStagingGone() throws Exception {
        try (Stream<Path> s = Files.list(home)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".restore-")));
        }
    }

    @Test
    void longNamesThroughPaxRecordsAreRestored() throws Exception {
        String deep = "groups/main/" + "d".repeat(120) + "/" + "f".repeat(120) + ".txt";
        Path a = TestArchive.minimal(scratch).paxFile(deep, TestArchive.bytes("x")).write(tmp.resolve("p.tar.gz"));
        assertEquals(0, restore(a), errText());
        assertEquals("x", Files.readString(home.resolve(deep)));
    }

    @Test
    void aDotDotEntryIsRefused() throws Exception {
        Path a = TestArchive.minimal(scratch).file("groups/../../evil", TestArchive.bytes("pwned"))
                .write(tmp.resolve("dotdot.tar.gz"));
        assertEquals(1, restore(a));
        assertTrue(errText().contains("'..'"), errText());
        assertHomeUntouched();
    }

    @Test
    void anAbsoluteEntryIsRefused() throws Exception {
        Path a = TestArchive.minimal(scratch).file(tmp.resolve("evil").toString(), TestArchive.bytes("pwned"))
                .write(tmp.resolve("abs.tar.gz"));
        assertEquals(1, restore(a));
        assertTrue(errText().contains("absolute"), errText());
        assertHomeUntouched();
    }

    @Test
    void aSymlinkEntryIsRefused() throws Exception {
        Path a = TestArchive.minimal(scratch).link("groups/main/escape", '2', "/etc")
                .write(tmp.resolve("link.tar.gz"));
        assertEquals(1, restore(a));
        assertTrue(errText().contains("symbolic link"), errText());
        assertHomeUntouched();
    }

    @Test
    void aHardLinkEntryIsRefused() throws Exception {
        Path a = TestArchive.minimal(scratch).link("groups/main/hard", '1', "/etc/passwd")
                .write(tmp.resolve("hard.tar.gz"));
        assertEquals(1, restore(a));
        assertTrue(errText().contains("hard link"), errText());
        assertHomeUntouched();
    }

    @Test
    void anEntryOutsideDataAndGroupsIsRefused() throws Exception {
        Path a = TestArchive.minimal(scratch).file(".env", TestArchive.bytes("ANTHROPIC_API_KEY=x"))
                .write(tmp.resolve("env.tar.gz"));
        assertEquals(1, restore(a));
        assertTrue(errText().contains("outside"), errText());
        assertFalse(Files.exists(home.resolve(".env")));
        assertHomeUntouched();
    }

    @Test
    void aFileThatDoesNotMatchItsShaIsRefused() throws Exception {
        TestArchive t = TestArchive.minimal(scratch);
        t.manifest.put("groups/main/CLAUDE.local.md", new String[] {"9", TestArchive.sha(TestArchive.bytes("other"))});
        Path a = t.write(tmp.resolve("sha.tar.gz"));
        assertEquals(1, restore(a));
        assertTrue(errText().contains("SHA-256"), errText());
        assertHomeUntouched();
    }

    @Test
    void aFileTheManifestDoesNotListIsRefused() throws Exception {
        Path a = TestArchive.minimal(scratch).unlisted("groups/main/extra", TestArchive.bytes("?"))
                .write(tmp.resolve("unlisted.tar.gz"));
        assertEquals(1, restore(a));
        assertTrue(errText().contains("not in its manifest"), errText());
        assertHomeUntouched();
    }

    @Test
    void anArchiveWithoutAManifestIsRefused() throws Exception {
        TestArchive t = TestArchive.minimal(scratch);
        t.withManifest = false;
        assertEquals(1, restore(t.write(tmp.resolve("noman.tar.gz"))));
        assertTrue(errText().contains("no manifest"), errText());
        assertHomeUntouched();
    }

    @Test
    void aDamagedDatabaseFailsTheIntegrityCheck() throws Exception {
        TestArchive t = TestArchive.minimal(scratch);
        byte[] db = TestArchive.db(scratch.resolve("big.db"), "CREATE TABLE t(x TEXT)",
                "INSERT INTO t SELECT hex(randomblob(500)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                        + "SELECT i + 1 FROM n WHERE i < 200) SELECT i FROM n)", "CREATE INDEX tx ON t(x)");
        for (int i = 4096; i < db.length; i += 97) {
            db[i] = (byte) 0x5a; // pages scrambled, header intact: SQLite opens it and finds the damage
        }
        t.file("data/sessions/ag-1/s-2/inbound.db", db);
        assertEquals(1, restore(t.write(tmp.resolve("bad.tar.gz"))));
        assertTrue(errText().contains("integrity") || errText().contains("not a readable SQLite"), errText());
        assertHomeUntouched();
    }

    @Test
    void aTruncatedArchiveIsRefused() throws Exception {
        Path good = TestArchive.minimal(scratch).write(tmp.resolve("full.tar.gz"));
        byte[] all = Files.readAllBytes(good);
        Path cut = Files.write(tmp.resolve("cut.tar.gz"), java.util.Arrays.copyOf(all, all.length / 2));
        assertEquals(1, restore(cut));
        assertTrue(errText().contains("damaged"), errText());
        assertHomeUntouched();
    }

    @Test
    void aHomeWithDataIsRefusedWithoutForceAndMovedAsideWithIt() throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/nanoclaw.db"), "old");
        Path a = TestArchive.minimal(scratch).write(tmp.resolve("ok.tar.gz"));
        assertEquals(1, restore(a));
        assertTrue(errText().contains("--force"), errText());
        assertEquals("old", Files.readString(home.resolve("data/nanoclaw.db")));

        assertEquals(0, restore(a, "--force"), errText());
        Path aside;
        try (Stream<Path> s = Files.list(home)) {
            aside = s.filter(p -> p.getFileName().toString().startsWith("pre-restore-")).findFirst().orElseThrow();
        }
        assertEquals("old", Files.readString(aside.resolve("data/nanoclaw.db")));
        assertTrue(Files.size(home.resolve("data/nanoclaw.db")) > 3);
    }

    @Test
    void refusedWhileAHostAnswersOnTheSocket() throws Exception {
        Path data = Files.createDirectories(home.resolve("data"));
        Path a = TestArchive.minimal(scratch).write(tmp.resolve("ok.tar.gz"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(data.resolve("ncl.sock")));
            assertEquals(1, restore(a));
            assertTrue(errText().contains("a host is running"), errText());
        }
        assertHomeUntouched();
        // the socket file a stopped host left behind does not block a restore
        err.reset();
        assertEquals(0, restore(a), errText());
    }

    @Test
    void badUsageSaysSoInOneLine() throws Exception {
        assertEquals(1, Restore.run(List.of(), new PrintStream(out), new PrintStream(err, true)));
        assertTrue(errText().contains("missing --from"), errText());
        err.reset();
        assertEquals(1, Restore.run(List.of("--from", "x", "--bogus"), new PrintStream(out), new PrintStream(err, true)));
        assertTrue(errText().contains("unknown argument '--bogus'"), errText());
        err.reset();
        assertEquals(1, restore(tmp.resolve("nope.tar.gz")));
        assertTrue(errText().contains("no archive at"), errText());
        assertEquals(1, errText().lines().count());
    }
}
