package io.nanoclaw.host.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.testkit.HostWithFakeUpstreams;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tap on its own: every way an answer can be cut into reads, both APIs, both body kinds, and junk. */
class UsageTapTest {
    static final Usage ANTHROPIC = new Usage("claude-sonnet-4-5-20250929", 25, 15, 2000, 100);

    static Optional<Usage> feed(UsageTap.Api api, String contentType, byte[] body, int pieceSize) {
        UsageTap tap = UsageTap.open(api, contentType);
        for (int i = 0; i < body.length; i += pieceSize) {
            tap.accept(body, i, Math.min(pieceSize, body.length - i));
        }
        return tap.result();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAnthropicStreamGivesTheSameUsageHoweverItIsCut() {
        byte[] lf = utf8(HostWithFakeUpstreams.ANTHROPIC_SSE);
        byte[] crlf = utf8(HostWithFakeUpstreams.ANTHROPIC_SSE.replace("\n", "\r\n"));
        for (int size : new int[] {1, 2, 3, 7, 64, 100, 8192}) {
            assertEquals(Optional.of(ANTHROPIC), feed(UsageTap.Api.ANTHROPIC, "text/event-stream", lf, size),
                    "LF, pieces of " + size);
            assertEquals(Optional.of(ANTHROPIC),
                    feed(UsageTap.Api.ANTHROPIC, "text/event-stream; charset=utf-8", crlf, size),
                    "CRLF, pieces of " + size);
        }
    }

    @Test
    void theLastMessageDeltaWinsAndLaterCumulativeCountsReplaceEarlierOnes() {
        String sse = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5\","
                + "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":40}}\n\n"
                + "event: message_delta\ndata:{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":90,"
                + "\"input_tokens\":12,\"cache_read_input_tokens\":null}}\n\n";
        assertEquals(Optional.of(new Usage("claude-haiku-4-5", 12, 90, 0, 0)),
                feed(UsageTap.Api.ANTHROPIC, "text/event-stream", utf8(sse), 5));
    }

    @Test
    void anOpenAiStreamStoresInputWithoutTheCachedPart() {
        byte[] sse = utf8(HostWithFakeUpstreams.OPENAI_SSE);
        for (int size : new int[] {1, 13, 8192}) {
            assertEquals(Optional.of(new Usage("llama3.2", 1200 - 1024, 7, 1024, 0)),
                    feed(UsageTap.Api.OPENAI, "text/event-stream", sse, size));
        }
    }

    @Test
    void anOpenAiStreamWithoutUsageRecordsNothing() {
        String sse = "data: {\"model\":\"llama3.2\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"
                + "data: [DONE]\n\n";
        assertEquals(Optional.empty(), feed(UsageTap.Api.OPENAI, "text/event-stream", utf8(sse), 4));
    }

    @Test
    void plainJsonAnswersOfBothApis() {
        String anthropic = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"a \\\"usage\\\": {\\\"input_tokens\\\": 999}\"}],"
                + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":30,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":50,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0},"
                + "\"output_tokens\":12,\"service_tier\":\"standard\"}}";
        String openai = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"}}],"
                + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":9,\"total_tokens\":109,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":40,\"audio_tokens\":0}}}";
        for (int size : new int[] {1, 5, 8192}) {
            assertEquals(Optional.of(new Usage("claude-opus-4-5", 30, 12, 50, 0)),
                    feed(UsageTap.Api.ANTHROPIC, "application/json", utf8(anthropic), size));
            assertEquals(Optional.of(new Usage("gpt-4o-mini", 60, 9, 40, 0)),
                    feed(UsageTap.Api.OPENAI, "application/json; charset=utf-8", utf8(openai), size));
        }
    }

    @Test
    void onlyTopLevelUsageCounts() {
        String countTokens = "{\"input_tokens\":1234}";
        String nested = "{\"data\":[{\"usage\":{\"input_tokens\":5}}],\"model\":\"m\"}";
        assertEquals(Optional.empty(), feed(UsageTap.Api.ANTHROPIC, "application/json", utf8(countTokens), 3));
        assertEquals(Optional.empty(), feed(UsageTap.Api.ANTHROPIC, "application/json", utf8(nested), 3));
    }

    @Test
    void aCutStreamKeepsWhatWasSeen() {
        String sse = HostWithFakeUpstreams.ANTHROPIC_SSE;
        String cut = sse.substring(0, sse.indexOf("event: message_delta") + 40);
        assertEquals(Optional.of(new Usage("claude-sonnet-4-5-20250929", 25, 1, 2000, 100)),
                feed(UsageTap.Api.ANTHROPIC, "text/event-stream", utf8(cut), 9));
        String json = "{\"model\":\"claude-opus-4-5\",\"usage\":{\"input_tokens\":30,\"output_tok";
        assertEquals(Optional.of(new Usage("claude-opus-4-5", 30, 0, 0, 0)),
                feed(UsageTap.Api.ANTHROPIC, "application/json", utf8(json), 4));
    }

    @Test
    void anOverlongLineIsSkippedAndTheStreamStillParsesAfterIt() {
        StringBuilder sb = new StringBuilder("data: {\"type\":\"message_start\",\"pad\":\"");
        sb.append("x".repeat(UsageTap.MAX_LINE + 10)).append("\"}\n\n");
        sb.append(HostWithFakeUpstreams.ANTHROPIC_SSE);
        assertEquals(Optional.of(ANTHROPIC),
                feed(UsageTap.Api.ANTHROPIC, "text/event-stream", utf8(sb.toString()), 8192));
    }

    @Test
    void junkIsIgnored() {
        String sse = "data: {\"type\":\"message_start\",\"message\":\n\n"
                + ": a comment\n"
                + "data: [DONE]\n\n"
                + "data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":\"many\"}}\n\n"
                + "event: message_delta\n\n"
                + "\u0000\u00ff\r\r\n";
        assertEquals(Optional.empty(), feed(UsageTap.Api.ANTHROPIC, "text/event-stream", utf8(sse), 3));
        assertEquals(Optional.empty(), feed(UsageTap.Api.ANTHROPIC, "application/json", utf8("not json {"), 3));
        assertEquals(Optional.of(new Usage(null, 0, 3, 0, 0)), feed(UsageTap.Api.ANTHROPIC, "text/event-stream",
                utf8(sse + "data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":3}}\n\n"), 3),
                "junk before usage does not stop the tap");
    }

    @Test
    void otherContentTypesAreNotTapped() {
        assertNull(UsageTap.open(UsageTap.Api.ANTHROPIC, "text/plain"));
        assertNull(UsageTap.open(UsageTap.Api.OPENAI, null));
        assertTrue(UsageTap.open(UsageTap.Api.OPENAI, "Application/JSON") != null);
    }
}
