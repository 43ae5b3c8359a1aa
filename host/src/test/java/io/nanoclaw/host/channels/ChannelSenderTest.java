package io.nanoclaw.host.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** host.md 8.2's graceful degradation: what an adapter gets for each content, given what it can show. */
class ChannelSenderTest {
    private final ObjectMapper json = new ObjectMapper();
    private final ChannelSender sender = new ChannelSender();

    static final class Adapter implements ChannelAdapter {
        final ChannelCapabilities caps;
        final List<OutboundMessage> got = new ArrayList<>();
        int failAtCall = -1;
        int calls;

        Adapter(ChannelCapabilities caps) {
            this.caps = caps;
        }

        @Override
        public String channelType() {
            return "t";
        }

        @Override
        public ChannelCapabilities capabilities() {
            return caps;
        }

        @Override
        public void start(InboundSink sink) {}

        @Override
        public void stop() {}

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public String deliver(String platformId, String threadId, OutboundMessage m) throws IOException {
            if (++calls == failAtCall) {
                throw new IOException("down");
            }
            got.add(m);
            return "m" + got.size();
        }
    }

    private OutboundMessage msg(String contentJson, List<Path> files) throws IOException {
        return new OutboundMessage("row-1", "chat", json.readTree(contentJson), files);
    }

    private static ChannelCapabilities plain(int limit) {
        return ChannelCapabilities.textOnly(limit);
    }

    private static ChannelCapabilities full(int limit) {
        return new ChannelCapabilities(true, true, true, true, true, true, true, true, limit);
    }

    @Test
    void longTextIsSplitWithTheFilesOnTheFirstChunkAndTheFirstIdReturned() throws Exception {
        Adapter a = new Adapter(full(100));
        String text = "a".repeat(80) + "\n\n" + "b".repeat(80);
        String id = sender.send(a, "c", null, msg(json.createObjectNode().put("text", text).toString(),
                List.of(Path.of("/tmp/x.png"))));
        assertEquals("m1", id);
        assertEquals(2, a.got.size());
        assertEquals(List.of(Path.of("/tmp/x.png")), a.got.get(0).files());
        assertTrue(a.got.get(1).files().isEmpty());
        assertEquals("b".repeat(80), a.got.get(1).text());
    }

    @Test
    void aRetryAfterAPartlySentSplitGoesOnWhereItStopped() throws Exception {
        Adapter a = new Adapter(full(100));
        a.failAtCall = 2;
        String text = "a".repeat(80) + "\n\n" + "b".repeat(80) + "\n\n" + "c".repeat(80);
        OutboundMessage m = msg(json.createObjectNode().put("text", text).toString(), List.of());
        assertThrows(IOException.class, () -> sender.send(a, "c", null, m));
        assertEquals("m1", sender.send(a, "c", null, m));
        assertEquals(List.of("a".repeat(80), "b".repeat(80), "c".repeat(80)),
                a.got.stream().map(OutboundMessage::text).toList(), "the first chunk is not sent twice");
    }

    @Test
    void reactionsAreSkippedWhereThePlatformHasNone() throws Exception {
        Adapter a = new Adapter(plain(100));
        assertNull(sender.send(a, "c", null, msg("{\"operation\":\"reaction\",\"messageId\":\"1\",\"emoji\":\"👍\"}",
                List.of())));
        assertTrue(a.got.isEmpty());
        Adapter b = new Adapter(full(100));
        sender.send(b, "c", null, msg("{\"operation\":\"reaction\",\"messageId\":\"1\",\"emoji\":\"👍\"}", List.of()));
        assertEquals("reaction", b.got.get(0).content().path("operation").asText());
    }

    @Test
    void anEditBecomesANewMessageWhereThePlatformCantEdit() throws Exception {
        Adapter a = new Adapter(plain(100));
        sender.send(a, "c", null, msg("{\"operation\":\"edit\",\"messageId\":\"1\",\"text\":\"fixed\"}", List.of()));
        JsonNode c = a.got.get(0).content();
        assertEquals("fixed", c.path("text").asText());
        assertTrue(c.path("operation").isMissingNode());
    }

    @Test
    void aDisplayCardIsTextWithItsLinks() throws Exception {
        Adapter a = new Adapter(full(1000));
        sender.send(a, "c", null, msg("{\"type\":\"card\",\"card\":{\"title\":\"Weather\",\"description\":\"Sunny\","
                + "\"children\":[\"20 C\",{\"text\":\"light wind\"}],\"actions\":[{\"label\":\"More\","
                + "\"url\":\"https://example.org/w\"},{\"label\":\"Bad\",\"url\":\"javascript:alert(1)\"}]}}",
                List.of()));
        assertEquals("Weather\nSunny\n20 C\nlight wind\nMore: https://example.org/w", a.got.get(0).text());
        Adapter b = new Adapter(full(1000));
        sender.send(b, "c", null, msg("{\"type\":\"card\",\"card\":{\"title\":\"W\"},\"fallbackText\":\"mine\"}",
                List.of()));
        assertEquals("mine", b.got.get(0).text());
    }

    @Test
    void filesAChatCantReceiveAreNamedInTheText() throws Exception {
        Adapter a = new Adapter(plain(1000));
        sender.send(a, "c", null, msg("{\"text\":\"here\"}", List.of(Path.of("/s/report.pdf"))));
        assertEquals("here\n\n(Not sent: this chat can't receive files: report.pdf)", a.got.get(0).text());
        assertTrue(a.got.get(0).files().isEmpty());
    }

    @Test
    void buttonsGoToAdaptersThatHaveThem() throws Exception {
        Adapter a = new Adapter(full(1000));
        String card = new ChoiceCard("k", "T", "Q?", List.of("Yes", "No")).buttonsContent().toString();
        sender.send(a, "c", null, msg(card, List.of()));
        assertEquals("choice_card", a.got.get(0).content().path("type").asText());
        assertEquals(2, a.got.get(0).content().path("buttons").size());
    }

    @Test
    void nothingToShowSendsNothing() throws Exception {
        Adapter a = new Adapter(full(1000));
        assertNull(sender.send(a, "c", null, msg("{\"text\":\"  \"}", List.of())));
        assertTrue(a.got.isEmpty());
    }
}
