package io.nanoclaw.host.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
    @TempDir
    Path dir;

    @Test
    void lastLinesAcrossBlockBoundariesOldestFirst() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add("line " + i + " " + "x".repeat(i % 300)); // lines straddle the 64 KiB blocks
        }
        Path log = Files.write(dir.resolve("host.log"), lines);
        assertEquals(lines.subList(2900, 3000), LogTail.tail(log, 100));
        assertEquals(lines, LogTail.tail(log, 5000));
        assertEquals(List.of(lines.get(2999)), LogTail.tail(log, 1));
    }

    @Test
    void aLastLineWithoutNewlineAndAnEmptyFile() throws Exception {
        Path log = Files.writeString(dir.resolve("host.log"), "a\nb\nc");
        assertEquals(List.of("b", "c"), LogTail.tail(log, 2));
        assertEquals(List.of("a", "b", "c"), LogTail.tail(log, 10));
        assertEquals(List.of(), LogTail.tail(Files.writeString(dir.resolve("empty.log"), ""), 10));
    }

    @Test
    void aShortCurrentFileIsCompletedFromTheRotatedOnes() throws Exception {
        Path log = dir.resolve("host.log");
        Files.writeString(Path.of(log + ".2"), "r2-a\nr2-b\n");
        Files.writeString(Path.of(log + ".1"), "r1-a\nr1-b\n");
        Files.writeString(log, "now\n");
        assertEquals(List.of("r1-b", "now"), LogTail.tail(log, 2));
        assertEquals(List.of("r2-b", "r1-a", "r1-b", "now"), LogTail.tail(log, 4));
        assertEquals(List.of("r2-a", "r2-b", "r1-a", "r1-b", "now"), LogTail.tail(log, 100));
    }
}
