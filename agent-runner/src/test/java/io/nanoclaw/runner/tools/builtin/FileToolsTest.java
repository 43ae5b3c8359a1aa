package io.nanoclaw.runner.tools.builtin;

import static io.nanoclaw.runner.tools.builtin.ToolFixture.q;
import static io.nanoclaw.runner.tools.builtin.ToolFixture.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileToolsTest {
    @TempDir
    Path ws;

    @TempDir
    Path outside;

    // --- Read

    @Test
    void readShowsCatNumberedLines() throws Exception {
        Files.writeString(ws.resolve("a.txt"), "one\ntwo\nthree\n");
        ToolResult r = run(new Read(), ws, "{\"file_path\":\"a.txt\"}");
        assertFalse(r.isError());
        assertEquals("     1\tone\n     2\ttwo\n     3\tthree\n", r.text());
    }

    @Test
    void readHonoursOffsetAndLimitAndSaysWhereToGoOn() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            sb.append("line").append(i).append('\n');
        }
        Files.writeString(ws.resolve("a.txt"), sb);
        ToolResult r = run(new Read(), ws, "{\"file_path\":" + q(ws.resolve("a.txt").toString())
                + ",\"offset\":4,\"limit\":2}");
        assertTrue(r.text().startsWith("     4\tline4\n     5\tline5\n"), r.text());
        assertTrue(r.text().contains("offset=6"), r.text());
        ToolResult past = run(new Read(), ws, "{\"file_path\":\"a.txt\",\"offset\":50}");
        assertTrue(past.isError());
    }

    @Test
    void readDefaultsTo2000LinesAndCutsLongLines() throws Exception {
        StringBuilder sb = new StringBuilder("x".repeat(2500)).append('\n');
        for (int i = 2; i <= 2100; i++) {
            sb.append(i).append('\n');
        }
        Files.writeString(ws.resolve("big.txt"), sb);
        String text = run(new Read(), ws, "{\"file_path\":\"big.txt\"}").text();
        String first = text.substring(0, text.indexOf('\n'));
        assertTrue(first.length() < 2100 && first.contains("x".repeat(2000)), first.length() + "");
        assertTrue(text.contains("  2000\t2000\n"));
        assertFalse(text.contains("  2001\t"));
        assertTrue(text.contains("offset=2001"));
    }

    @Test
    void readReturnsImagesAndPdfsAsBlocks() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        Files.write(ws.resolve("pic.PNG"), png);
        ToolResult r = run(new Read(), ws, "{\"file_path\":\"pic.PNG\"}");
        assertFalse(r.isError());
        assertNull(r.text());
        JsonNode block = r.blocks().get(0);
        assertEquals("image", block.get("type").asText());
        assertEquals("base64", block.at("/source/type").asText());
        assertEquals("image/png", block.at("/source/media_type").asText());
        assertArrayEquals(png, Base64.getDecoder().decode(block.at("/source/data").asText()));

        Files.writeString(ws.resolve("doc.pdf"), "%PDF-1.4 ...");
        JsonNode doc = run(new Read(), ws, "{\"file_path\":\"doc.pdf\"}").blocks().get(0);
        assertEquals("document", doc.get("type").asText());
        assertEquals("application/pdf", doc.at("/source/media_type").asText());
    }

    @Test
    void readRefusesMediaOverTheCap() throws Exception {
        Files.write(ws.resolve("huge.jpg"), new byte[(int) Read.MAX_MEDIA_BYTES + 1]);
        ToolResult r = run(new Read(), ws, "{\"file_path\":\"huge.jpg\"}");
        assertTrue(r.isError());
        assertTrue(r.text().contains("5 MiB"), r.text());
    }

    @Test
    void readErrorsClearly() throws Exception {
        Files.createDirectory(ws.resolve("dir"));
        Files.write(ws.resolve("bin.dat"), new byte[] {1, 0, 2});
        assertTrue(run(new Read(), ws, "{\"file_path\":\"dir\"}").text().contains("is a directory"));
        assertTrue(run(new Read(), ws, "{\"file_path\":\"nope.txt\"}").text().contains("does not exist"));
        assertTrue(run(new Read(), ws, "{\"file_path\":\"bin.dat\"}").text().contains("binary"));
        ToolResult missing = run(new Read(), ws, "{}");
        assertTrue(missing.isError() && missing.text().contains("file_path"));
    }

    // --- Path rules

    @Test
    void pathsEscapingTheWorkspaceAreRefused() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "s3cret");
        String up = "../" + outside.getFileName() + "/secret.txt";
        ToolResult viaDots = run(new Read(), ws, "{\"file_path\":" + q(up) + "}");
        assertTrue(viaDots.isError());
        assertTrue(viaDots.text().startsWith("path outside the workspace: "), viaDots.text());

        Files.createSymbolicLink(ws.resolve("link"), outside);
        Files.createSymbolicLink(ws.resolve("file-link"), outside.resolve("secret.txt"));
        for (String p : new String[] {"link/secret.txt", "file-link"}) {
            ToolResult r = run(new Read(), ws, "{\"file_path\":" + q(p) + "}");
            assertTrue(r.isError() && r.text().contains("outside the workspace"), p + ": " + r.text());
        }
        ToolResult write = run(new Write(), ws, "{\"file_path\":\"link/new/x.txt\",\"content\":\"x\"}");
        assertTrue(write.isError() && write.text().contains("outside the workspace"), write.text());
        assertFalse(Files.exists(outside.resolve("new")));
        ToolResult edit = run(new Edit(), ws,
                "{\"file_path\":\"file-link\",\"old_string\":\"s3cret\",\"new_string\":\"x\"}");
        assertTrue(edit.isError());
        assertEquals("s3cret", Files.readString(outside.resolve("secret.txt")));
        ToolResult abs = run(new Write(), ws,
                "{\"file_path\":" + q(outside.resolve("y.txt").toString()) + ",\"content\":\"x\"}");
        assertTrue(abs.isError());
        assertTrue(run(new Glob(), ws, "{\"pattern\":\"*\",\"path\":" + q(outside.toString()) + "}").isError());
        assertTrue(run(new Grep(), ws, "{\"pattern\":\"s\",\"path\":\"link\"}").isError());
    }

    @Test
    void symlinksInsideTheWorkspaceAreFine() throws Exception {
        Files.createDirectory(ws.resolve("real"));
        Files.writeString(ws.resolve("real/a.txt"), "hi\n");
        Files.createSymbolicLink(ws.resolve("alias"), ws.resolve("real"));
        assertEquals("     1\thi\n", run(new Read(), ws, "{\"file_path\":\"alias/a.txt\"}").text());
    }

    // --- Write

    @Test
    void writeCreatesParentsAndOverwrites() throws Exception {
        ToolResult r = run(new Write(), ws, "{\"file_path\":\"a/b/c.txt\",\"content\":\"héllo\\n\"}");
        assertFalse(r.isError(), r.text());
        assertTrue(r.text().contains("created"));
        assertEquals("héllo\n", Files.readString(ws.resolve("a/b/c.txt"), StandardCharsets.UTF_8));
        ToolResult again = run(new Write(), ws, "{\"file_path\":\"a/b/c.txt\",\"content\":\"bye\"}");
        assertTrue(again.text().contains("updated"));
        assertEquals("bye", Files.readString(ws.resolve("a/b/c.txt")));
    }

    @Test
    void writeErrors() {
        assertTrue(run(new Write(), ws, "{\"file_path\":\"x.txt\"}").text().contains("content"));
        assertTrue(run(new Write(), ws, "{\"file_path\":\".\",\"content\":\"x\"}").text().contains("directory"));
    }

    // --- Edit

    @Test
    void editReplacesAUniqueMatch() throws Exception {
        Files.writeString(ws.resolve("f.txt"), "alpha beta gamma\n");
        ToolResult r = run(new Edit(), ws,
                "{\"file_path\":\"f.txt\",\"old_string\":\"beta\",\"new_string\":\"BETA\"}");
        assertFalse(r.isError(), r.text());
        assertEquals("alpha BETA gamma\n", Files.readString(ws.resolve("f.txt")));
    }

    @Test
    void editRequiresUniquenessUnlessReplaceAll() throws Exception {
        Files.writeString(ws.resolve("f.txt"), "x = 1; x = 2; x = 3");
        ToolResult r = run(new Edit(), ws, "{\"file_path\":\"f.txt\",\"old_string\":\"x =\",\"new_string\":\"y =\"}");
        assertTrue(r.isError());
        assertTrue(r.text().contains("found 3 times"), r.text());
        assertEquals("x = 1; x = 2; x = 3", Files.readString(ws.resolve("f.txt")));
        ToolResult all = run(new Edit(), ws,
                "{\"file_path\":\"f.txt\",\"old_string\":\"x =\",\"new_string\":\"y =\",\"replace_all\":true}");
        assertFalse(all.isError());
        assertTrue(all.text().contains("3 replacements"));
        assertEquals("y = 1; y = 2; y = 3", Files.readString(ws.resolve("f.txt")));
    }

    @Test
    void editErrors() throws Exception {
        Files.writeString(ws.resolve("f.txt"), "abc");
        assertTrue(run(new Edit(), ws, "{\"file_path\":\"f.txt\",\"old_string\":\"zzz\",\"new_string\":\"y\"}")
                .text().contains("not found"));
        assertTrue(run(new Edit(), ws, "{\"file_path\":\"f.txt\",\"old_string\":\"abc\",\"new_string\":\"abc\"}")
                .text().contains("the same"));
        assertTrue(run(new Edit(), ws, "{\"file_path\":\"g.txt\",\"old_string\":\"a\",\"new_string\":\"b\"}")
                .text().contains("does not exist"));
        assertTrue(run(new Edit(), ws, "{\"file_path\":\"f.txt\",\"new_string\":\"b\"}").text()
                .contains("old_string"));
        assertEquals("abc", Files.readString(ws.resolve("f.txt")));
    }
}
