package io.nanoclaw.host.channels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.channels.InboundMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the CLI channel accepts and how it answers bad lines, without a socket. */
class CliChannelInputTest {
    private final CliChannel cli = new CliChannel();
    private final List<InboundMessage> routed = new ArrayList<>();

    private String handle(String line) {
        return cli.handleLine(line, (ct, pid, thread, msg) -> routed.add(msg));
    }

    @Test
    void aTextLineIsRoutedAsTheOwnerOnTheLocalChat() {
        assertNull(handle("{\"text\":\"hello\"}"));
        assertEquals(1, routed.size());
        InboundMessage m = routed.get(0);
        assertTrue(m.content().contains("\"text\":\"hello\""));
        assertTrue(m.content().contains("\"senderId\":\"cli:local\""));
        assertEquals("local", m.senderHandle());
    }

    @Test
    void badLinesGetAClearErrorAndRouteNothing() {
        assertTrue(handle("{oops").startsWith("malformed JSON"));
        assertTrue(handle("{}").contains("\"text\" is required"));
        assertTrue(handle("{\"text\":42}").contains("\"text\" is required"));
        assertTrue(handle("{\"text\":\"   \"}").contains("\"text\" is required"));
        assertTrue(handle("\"just a string\"").startsWith("expected a JSON object"));
        assertTrue(handle("{\"text\":\"" + "y".repeat(CliChannel.MAX_TEXT_CHARS + 1) + "\"}").startsWith("text too long"));
        assertTrue(handle(BoundedLineReader.TOO_LONG).startsWith("line too long"));
        assertNull(handle("   "));
        assertTrue(routed.isEmpty());
    }

    @Test
    void aRoutingFailureIsReportedToTheClient() {
        String err = cli.handleLine("{\"text\":\"x\"}", (ct, pid, thread, msg) -> {
            throw new IllegalStateException("disk full");
        });
        assertTrue(err.contains("disk full"));
    }

    @Test
    void theLineReaderSkipsAnOversizedLineAndCarriesOn() throws IOException {
        String input = "first\n" + "z".repeat(100) + "\nthird\nlast-without-newline";
        BoundedLineReader r = new BoundedLineReader(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 50);
        assertEquals("first", r.readLine());
        assertEquals(BoundedLineReader.TOO_LONG, r.readLine());
        assertEquals("third", r.readLine());
        assertEquals("last-without-newline", r.readLine());
        assertNull(r.readLine());
    }
}
