package io.nanoclaw.runner.tools.nanoclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.testing.SessionFixture.OutRow;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** send_file (agent-runner.md 3.2) with our path and name checks. */
class SendFileTest {
    @TempDir
    Path root;

    @TempDir
    Path elsewhere;

    private ToolsFixture f;
    private Path agent;

    @BeforeEach
    void open() throws Exception {
        f = new ToolsFixture(root);
        f.session.sessionRouting("telegram", "chat-1", "th-1");
        agent = f.workspace().resolve("agent");
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void copiesIntoTheOutboxUnderTheRowIdAndNamesTheFile() throws Exception {
        Files.writeString(agent.resolve("report.txt"), "numbers");

        ToolResult r = f.run("send_file", "{\"path\":\"report.txt\",\"text\":\"here it is\"}");

        assertFalse(r.isError(), r.text());
        OutRow row = f.onlyRow();
        assertTrue(row.id().startsWith("msg-"), row.id());
        assertEquals("File sent to (current conversation) (id: " + row.id() + ", filename: report.txt)", r.text());
        assertEquals("chat", row.kind());
        assertEquals("chat-1", row.platformId());
        assertEquals("telegram", row.channelType());
        assertEquals("th-1", row.threadId());
        assertEquals(ToolsFixture.BATCH_ID, row.inReplyTo());
        assertEquals("{\"text\":\"here it is\",\"files\":[\"report.txt\"]}", row.content().toString());
        assertEquals("numbers", Files.readString(f.workspace().resolve("outbox").resolve(row.id())
                .resolve("report.txt")));
    }

    @Test
    void anAbsolutePathAndAnExplicitFilenameWithEmptyText() throws Exception {
        Path dir = Files.createDirectories(f.workspace().resolve("agent/out"));
        Files.writeString(dir.resolve("a.csv"), "1,2");

        ToolResult r = f.run("send_file", "{\"path\":\"" + dir.resolve("a.csv") + "\",\"filename\":\"b.csv\"}");

        Matcher m = Pattern.compile("File sent to \\(current conversation\\) \\(id: (msg-\\S+), filename: b.csv\\)")
                .matcher(r.text());
        assertTrue(m.matches(), r.text());
        assertEquals("{\"text\":\"\",\"files\":[\"b.csv\"]}", f.onlyRow().content().toString());
        assertEquals("1,2", Files.readString(f.workspace().resolve("outbox").resolve(m.group(1)).resolve("b.csv")));
    }

    @Test
    void refusesAMissingFile() throws Exception {
        assertEquals("Error: File not found: nope.txt", f.run("send_file", "{\"path\":\"nope.txt\"}").text());
        assertTrue(f.session.replies().isEmpty());
    }

    @Test
    void refusesAPathOutsideTheAllowedRoots() throws Exception {
        Path secret = Files.writeString(elsewhere.resolve("secret.txt"), "s");

        ToolResult r = f.run("send_file", "{\"path\":\"" + secret + "\"}");

        assertTrue(r.isError());
        assertTrue(r.text().startsWith("Error: Path not allowed for send_file: " + secret), r.text());
        assertTrue(f.session.replies().isEmpty());
        assertFalse(Files.exists(f.workspace().resolve("outbox")));
    }

    @Test
    void refusesASymlinkPointingOutside() throws Exception {
        Path secret = Files.writeString(elsewhere.resolve("secret.txt"), "s");
        Files.createSymbolicLink(agent.resolve("innocent.txt"), secret);

        ToolResult r = f.run("send_file", "{\"path\":\"innocent.txt\"}");

        assertTrue(r.text().startsWith("Error: Path not allowed for send_file: innocent.txt"), r.text());
        assertTrue(f.session.replies().isEmpty());
    }

    @Test
    void aSymlinkInsideTheRootsIsSentUnderItsOwnName() throws Exception {
        Files.writeString(agent.resolve("data-v2.json"), "{}");
        Files.createSymbolicLink(agent.resolve("latest.json"), agent.resolve("data-v2.json"));

        ToolResult r = f.run("send_file", "{\"path\":\"latest.json\"}");

        assertTrue(r.text().endsWith("filename: latest.json)"), r.text());
    }

    @Test
    void refusesFilenamesThatCouldLeaveTheOutboxFolder() throws Exception {
        Files.writeString(agent.resolve("x.txt"), "x");

        assertEquals("Error: filename must not be '.' or contain '..': ..",
                f.run("send_file", "{\"path\":\"x.txt\",\"filename\":\"..\"}").text());
        assertEquals("Error: filename must not contain '/' or '\\': ../x.txt",
                f.run("send_file", "{\"path\":\"x.txt\",\"filename\":\"../x.txt\"}").text());
        assertEquals("Error: filename must not contain '/' or '\\': a\\b",
                f.run("send_file", "{\"path\":\"x.txt\",\"filename\":\"a\\\\b\"}").text());
        assertEquals("Error: filename must not contain control characters",
                f.run("send_file", "{\"path\":\"x.txt\",\"filename\":\"a\\nb\"}").text());
        assertTrue(f.session.replies().isEmpty());
        assertFalse(Files.exists(f.workspace().resolve("outbox")));
    }

    @Test
    void refusesADirectory() throws Exception {
        Files.createDirectories(agent.resolve("folder"));

        assertEquals("Error: Not a regular file: folder", f.run("send_file", "{\"path\":\"folder\"}").text());
    }

    @Test
    void refusesAFileOverFiftyMegabytes() throws Exception {
        try (RandomAccessFile big = new RandomAccessFile(agent.resolve("big.bin").toFile(), "rw")) {
            big.setLength(51L * 1024 * 1024); // sparse: costs no disk
        }

        assertEquals("Error: File too large (51.0MB). Max 50MB.", f.run("send_file", "{\"path\":\"big.bin\"}").text());
    }

    @Test
    void pathIsRequired() throws Exception {
        assertEquals("Error: path is required", f.run("send_file", "{}").text());
    }
}
