package io.nanoclaw.runner.tools.builtin;

import static io.nanoclaw.runner.tools.builtin.ToolFixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchToolsTest {
    @TempDir
    Path ws;

    private Path file(String rel, String content, long mtimeSeconds) throws Exception {
        Path p = ws.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeSeconds * 1000));
        return p;
    }

    @BeforeEach
    void tree() throws Exception {
        file("Top.java", "class Top {}\n", 1000);
        file("src/a/Old.java", "// TODO old\nclass Old {}\n", 2000);
        file("src/b/New.java", "class New {\n  // todo new\n}\n", 3000);
        file("src/notes.md", "one\ntwo\nneedle here\nthree\nfour\nfive\nsix\nneedle again\nseven\n", 1500);
        file(".git/config", "needle TODO\n", 4000);
        Files.write(ws.resolve("blob.bin"), new byte[] {'n', 'e', 'e', 'd', 'l', 'e', 0, 1});
    }

    private static List<String> lines(ToolResult r) {
        return List.of(r.text().split("\n"));
    }

    // --- Glob

    @Test
    void globMatchesRecursivelyNewestFirstIncludingTopLevel() {
        ToolResult r = run(new Glob(), ws, "{\"pattern\":\"**/*.java\"}");
        assertFalse(r.isError());
        assertEquals(List.of(ws.resolve("src/b/New.java").toString(), ws.resolve("src/a/Old.java").toString(),
                ws.resolve("Top.java").toString()), lines(r));
    }

    @Test
    void globWithPathAndNoMatchAndBadPattern() {
        ToolResult r = run(new Glob(), ws, "{\"pattern\":\"*.java\",\"path\":\"src/a\"}");
        assertEquals(List.of(ws.resolve("src/a/Old.java").toString()), lines(r));
        assertEquals("No files found", run(new Glob(), ws, "{\"pattern\":\"**/*.py\"}").text());
        assertTrue(run(new Glob(), ws, "{\"pattern\":\"[\"}").isError());
        assertTrue(run(new Glob(), ws, "{\"pattern\":\"*\",\"path\":\"Top.java\"}").isError());
        assertTrue(lines(run(new Glob(), ws, "{\"pattern\":\"**/config\"}")).get(0).equals("No files found"),
                "skips .git");
    }

    @Test
    void globCapsResults() throws Exception {
        for (int i = 0; i < Glob.MAX_RESULTS + 5; i++) {
            Files.writeString(ws.resolve("many-" + i + ".txt"), "");
        }
        List<String> out = lines(run(new Glob(), ws, "{\"pattern\":\"many-*.txt\"}"));
        assertEquals(Glob.MAX_RESULTS + 1, out.size());
        assertTrue(out.get(Glob.MAX_RESULTS).contains("5 more"), out.get(Glob.MAX_RESULTS));
    }

    // --- Grep

    @Test
    void grepListsFilesNewestFirstSkippingGitAndBinaries() {
        ToolResult r = run(new Grep(), ws, "{\"pattern\":\"needle|TODO\"}");
        assertEquals(List.of("Found 2 files", ws.resolve("src/a/Old.java").toString(),
                ws.resolve("src/notes.md").toString()), lines(r));
        ToolResult ci = run(new Grep(), ws, "{\"pattern\":\"todo\",\"-i\":true,\"type\":\"java\"}");
        assertEquals(List.of("Found 2 files", ws.resolve("src/b/New.java").toString(),
                ws.resolve("src/a/Old.java").toString()), lines(ci));
    }

    @Test
    void grepContentWithContextAndLineNumbers() {
        Path notes = ws.resolve("src/notes.md");
        ToolResult r = run(new Grep(), ws, "{\"pattern\":\"needle\",\"output_mode\":\"content\",\"-C\":1,"
                + "\"glob\":\"*.md\"}");
        assertEquals(List.of(notes + "-2-two", notes + ":3:needle here", notes + "-4-three", "--",
                notes + "-7-six", notes + ":8:needle again", notes + "-9-seven"), lines(r));
        ToolResult ab = run(new Grep(), ws, "{\"pattern\":\"needle\",\"output_mode\":\"content\",\"-A\":4,"
                + "\"-n\":false,\"path\":\"src/notes.md\"}");
        assertEquals(List.of(notes + ":needle here", notes + "-three", notes + "-four", notes + "-five",
                notes + "-six", notes + ":needle again", notes + "-seven"), lines(ab));
        ToolResult before = run(new Grep(), ws, "{\"pattern\":\"again\",\"output_mode\":\"content\",\"-B\":1,"
                + "\"path\":\"src\"}");
        assertEquals(List.of(notes + "-7-six", notes + ":8:needle again"), lines(before));
    }

    @Test
    void grepCountAndHeadLimit() {
        ToolResult count = run(new Grep(), ws, "{\"pattern\":\"e\",\"output_mode\":\"count\",\"type\":\"md\"}");
        assertEquals(ws.resolve("src/notes.md") + ":6", lines(count).get(0));
        assertTrue(count.text().contains("Found 6 total occurrences across 1 file."), count.text());
        ToolResult head = run(new Grep(), ws, "{\"pattern\":\"e\",\"output_mode\":\"content\",\"head_limit\":2,"
                + "\"path\":\"src/notes.md\"}");
        assertEquals(3, lines(head).size());
        assertTrue(lines(head).get(2).contains("head_limit=2"));
    }

    @Test
    void grepMultilineMatchesAcrossLines() {
        ToolResult r = run(new Grep(), ws, "{\"pattern\":\"class New \\\\{.*todo\",\"multiline\":true,"
                + "\"output_mode\":\"content\"}");
        Path f = ws.resolve("src/b/New.java");
        assertEquals(List.of(f + ":1:class New {", f + ":2:  // todo new"), lines(r));
        ToolResult single = run(new Grep(), ws, "{\"pattern\":\"class New \\\\{.*todo\"}");
        assertEquals("No files found", single.text());
    }

    @Test
    void grepErrors() {
        assertTrue(run(new Grep(), ws, "{\"pattern\":\"(\"}").text().contains("invalid regex"));
        assertTrue(run(new Grep(), ws, "{\"pattern\":\"x\",\"type\":\"cobol\"}").text().contains("unknown type"));
        assertTrue(run(new Grep(), ws, "{\"pattern\":\"x\",\"output_mode\":\"lines\"}").isError());
        assertTrue(run(new Grep(), ws, "{\"pattern\":\"x\",\"path\":\"nope\"}").isError());
    }
}
