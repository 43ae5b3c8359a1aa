package io.nanoclaw.host.channels.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import io.nanoclaw.host.channels.RateLimitedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Signal adapter's pieces that need no host: framing, ids, error mapping, envelope shapes. */
class SignalPartsTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private static final String ACCOUNT = "+15550000001";

    @Test
    void aLineOverTheCapIsSkippedAndTheStreamStaysInStep() throws IOException {
        String input = "{\"a\":1}\r\n" + "x".repeat(100) + "\n{\"b\":2}\n\nlast";
        JsonLines lines = new JsonLines(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 50);
        assertEquals("{\"a\":1}", lines.next());
        assertSame(JsonLines.TOO_LONG, lines.next());
        assertEquals("{\"b\":2}", lines.next());
        assertEquals("", lines.next());
        assertEquals("last", lines.next());
        assertNull(lines.next());
    }

    @Test
    void messageIdsCarryAuthorAndTimestamp() {
        assertEquals(new MessageRef("+15551234567", 1700000000123L), MessageRef.parse("+15551234567@1700000000123"));
        assertEquals(new MessageRef("abc-uuid", 5L), MessageRef.parse("abc-uuid@5.e9"));
        assertThrows(IllegalArgumentException.class, () -> MessageRef.parse("1700000000123"));
        assertThrows(IllegalArgumentException.class, () -> MessageRef.parse("+1555@soon"));
        assertThrows(IllegalArgumentException.class, () -> MessageRef.parse("@17"));
    }

    @Test
    void rateLimitWaitsComeFromResultsThenTextThenAMinute() throws Exception {
        JsonNode data = mapper.readTree("{\"response\":{\"results\":[{\"type\":\"RATE_LIMIT_FAILURE\","
                + "\"retryAfterSeconds\":12},{\"type\":\"SUCCESS\"}]}}");
        assertEquals(Duration.ofSeconds(12), SignalLink.retryAfter("whatever", data));
        assertEquals(Duration.ofSeconds(30), SignalLink.retryAfter("Rate limited, retry after 30 seconds", null));
        assertEquals(Duration.ofMillis(1500), SignalLink.retryAfter("Retry-After: 1500 ms", null));
        assertEquals(Duration.ofSeconds(60), SignalLink.retryAfter("Rate limit exceeded: 413", null));
        assertTrue(SignalLink.classify(new SignalRpcException("send", -5, "x", null)) instanceof RateLimitedException);
        assertTrue(SignalLink.classify(new SignalRpcException("send", -3, "Network error", null))
                instanceof PlatformUnavailableException);
        assertEquals(SignalRpcException.class,
                SignalLink.classify(new SignalRpcException("send", -1, "Unknown group", null)).getClass());
    }

    @Test
    void sendResultsDecideBetweenSentRateLimitedOutageAndRefused() throws Exception {
        SignalOutbound.checkResults("send", mapper.readTree("{\"timestamp\":1,\"results\":[]}"));
        SignalOutbound.checkResults("send", mapper.readTree("{\"timestamp\":1,\"results\":[{\"type\":\"SUCCESS\"},"
                + "{\"type\":\"UNREGISTERED_FAILURE\",\"recipientAddress\":{\"number\":\"+1\"}}]}"));
        RateLimitedException r = assertThrows(RateLimitedException.class, () -> SignalOutbound.checkResults("send",
                mapper.readTree("{\"results\":[{\"type\":\"RATE_LIMIT_FAILURE\",\"retryAfterSeconds\":9}]}")));
        assertEquals(Duration.ofSeconds(9), r.retryAfter());
        assertThrows(PlatformUnavailableException.class, () -> SignalOutbound.checkResults("send",
                mapper.readTree("{\"results\":[{\"type\":\"NETWORK_FAILURE\"}]}")));
        IOException refused = assertThrows(IOException.class, () -> SignalOutbound.checkResults("send",
                mapper.readTree("{\"results\":[{\"type\":\"UNREGISTERED_FAILURE\",\"recipientAddress\":"
                        + "{\"number\":\"+15550009999\"}}]}")));
        assertTrue(refused.getMessage().contains("UNREGISTERED_FAILURE for +15550009999"), refused.getMessage());
    }

    private SignalInbound inbound() {
        SignalConfig cfg = SignalConfig.of(ACCOUNT, "127.0.0.1:1", Path.of("/nonexistent"), "Andy",
                Duration.ofSeconds(1));
        return new SignalInbound(cfg, null, mapper, new EditChains());
    }

    @Test
    void manualReceiveModeSubscriptionsAndNumberlessSendersAreUnderstood() throws Exception {
        ObjectNode env = Envelopes.text("+15551110000", "Lou", 1760000000001L, "hi");
        env.remove("source");
        env.remove("sourceNumber"); // phone number privacy: only the ACI
        ObjectNode n = mapper.createObjectNode().put("jsonrpc", "2.0").put("method", "receive");
        ObjectNode result = n.putObject("params").put("subscription", 0).putObject("result");
        result.set("envelope", env);
        result.put("account", ACCOUNT);
        SignalInbound.Routed r = inbound().map(n);
        String aci = env.path("sourceUuid").asText();
        assertEquals(aci, r.platformId());
        assertEquals(aci + "@1760000000001", r.message().id());
        assertTrue(r.message().isMention() && !r.message().isGroup());
        assertEquals(io.nanoclaw.protocol.Timestamps.iso(java.time.Instant.ofEpochMilli(1760000000001L)),
                r.message().timestamp());

        result.put("account", "+15559999999");
        assertNull(inbound().map(n), "a message for another account of a multi-account daemon");
    }

    @Test
    void anEditOfAnEditKeepsTheOriginalsId() throws Exception {
        SignalInbound in = inbound();
        String who = "+15551112222";
        for (long[] e : new long[][] {{100, 200}, {200, 300}}) {
            ObjectNode env = Envelopes.from(who, "Mo", e[1]);
            env.putObject("editMessage").put("targetSentTimestamp", e[0]).putObject("dataMessage")
                    .put("timestamp", e[1]).put("message", "v" + e[1]);
            ObjectNode n = mapper.createObjectNode().put("method", "receive");
            n.putObject("params").set("envelope", env);
            assertEquals(who + "@100.e" + e[1], in.map(n).message().id());
        }
    }

    @Test
    void configNeedsAnE164AccountAndAHostPort() {
        assertEquals("SIGNAL_ACCOUNT is not set", SignalConfig.of(null, "127.0.0.1:7583", Path.of("."), "Andy",
                Duration.ofSeconds(1)).notConfigured().orElseThrow());
        assertTrue(SignalConfig.of("5551234", "h:1", Path.of("."), "Andy", Duration.ofSeconds(1)).notConfigured()
                .isPresent());
        SignalConfig c = SignalConfig.of("+15551234567", "signal-cli", Path.of("."), "Andy", Duration.ofSeconds(1));
        assertEquals("signal-cli:7583", c.address());
        assertTrue(c.notConfigured().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> SignalConfig.of("+15551234567", "h:port", Path.of("."),
                "Andy", Duration.ofSeconds(1)));
    }
}
