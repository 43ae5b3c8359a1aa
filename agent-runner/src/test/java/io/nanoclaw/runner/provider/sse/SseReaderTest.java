package io.nanoclaw.runner.provider.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseReaderTest {
    private static SseReader reader(String s) {
        return new SseReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void dispatchesOnBlankLinesAndJoinsDataLines() throws Exception {
        SseReader r = reader("event: a\ndata: 1\n\n: a comment\nevent:b\ndata:x\ndata: y\n\ndata: plain\n\n");
        assertEquals(new SseEvent("a", "1"), r.next());
        assertEquals(new SseEvent("b", "x\ny"), r.next());
        assertEquals(new SseEvent("message", "plain"), r.next());
        assertNull(r.next());
    }

    @Test
    void acceptsCrLfAndCr() throws Exception {
        SseReader r = reader("event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r");
        assertEquals(new SseEvent("a", "1"), r.next());
        assertEquals(new SseEvent("b", "2"), r.next());
        assertNull(r.next());
    }

    @Test
    void onlyOneLeadingSpaceIsRemovedAndEventsWithoutDataAreDropped() throws Exception {
        SseReader r = reader("event: lonely\n\ndata:  two spaces\n\n");
        assertEquals(new SseEvent("message", " two spaces"), r.next());
    }

    @Test
    void anUnterminatedEventAtTheEndIsDropped() throws Exception {
        SseReader r = reader("event: a\ndata: 1\n\nevent: b\ndata: cut");
        assertEquals(new SseEvent("a", "1"), r.next());
        assertNull(r.next());
    }

    @Test
    void keepsUtf8Intact() throws Exception {
        assertEquals("caf\u00e9 \uD83D\uDE00", reader("data: caf\u00e9 \uD83D\uDE00\n\n").next().data());
    }
}
