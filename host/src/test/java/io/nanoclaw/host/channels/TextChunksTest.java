package io.nanoclaw.host.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextChunksTest {
    @Test
    void shortTextIsOneChunk() {
        assertEquals(List.of("hello"), TextChunks.split("hello", 100));
        assertEquals(List.of(""), TextChunks.split("", 100));
    }

    @Test
    void splitsAtTheLastParagraphThenLineThenSpace() {
        String p1 = "a".repeat(60);
        String p2 = "b".repeat(60);
        assertEquals(List.of(p1, p2), TextChunks.split(p1 + "\n\n" + p2, 100));
        String lines = "x".repeat(70) + "\n" + "y".repeat(20) + "\n" + "z".repeat(30);
        assertEquals(List.of("x".repeat(70) + "\n" + "y".repeat(20), "z".repeat(30)), TextChunks.split(lines, 100));
        String words = ("word ").repeat(40).strip();
        List<String> chunks = TextChunks.split(words, 100);
        assertEquals(2, chunks.size());
        chunks.forEach(c -> assertTrue(c.length() <= 100 && !c.startsWith(" ") && !c.endsWith(" ")));
        assertEquals(words, String.join(" ", chunks));
    }

    @Test
    void aWordLongerThanTheLimitIsCutHardButNeverInsideASurrogatePair() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        String s = "a".repeat(99) + emoji + "b";
        List<String> chunks = TextChunks.split(s, 100);
        assertEquals("a".repeat(99), chunks.get(0));
        assertEquals(emoji + "b", chunks.get(1));
        assertEquals(3, TextChunks.split("c".repeat(250), 100).size());
    }
}
