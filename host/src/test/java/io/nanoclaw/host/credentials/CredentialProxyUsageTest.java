package io.nanoclaw.host.credentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.testkit.FakeUpstream;
import io.nanoclaw.host.testkit.HostWithFakeUpstreams;
import io.nanoclaw.host.usage.UsageRecorder;
import io.nanoclaw.protocol.Timestamps;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Usage recording through the real proxy, against fake model APIs that answer in the real wire formats: one
 * token_usage row per successful call with the counts the API reported, nothing for errors, what was seen for a
 * cut stream, and the answer passed on byte for byte.
 */
@QuarkusTest
@TestProfile(HostWithFakeUpstreams.class)
class CredentialProxyUsageTest {
    @TestHTTPResource("/")
    URL proxy;

    @Inject
    ProxyTokens tokens;

    @Inject
    Db db;

    @Inject
    UsageRecorder recorder;

    final HttpClient http = HttpClient.newHttpClient();
    String session;
    String group;
    String token;

    record Row(String group, String session, String model, long input, long output, long cacheRead,
               long cacheCreation, String createdAt) {}

    @BeforeEach
    void issue() {
        session = "sess-usage-" + UUID.randomUUID();
        group = "ag-usage-" + UUID.randomUUID();
        token = tokens.issue(session, group);
        HostWithFakeUpstreams.anthropic.replies.clear();
        HostWithFakeUpstreams.openai.replies.clear();
    }

    @AfterEach
    void revoke() {
        tokens.revoke(session);
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.toString()).resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CredentialProxyTest.BODY));
        return path.startsWith("/openai/") ? b.header("authorization", "Bearer " + token) : b.header("x-api-key", token);
    }

    HttpResponse<byte[]> post(String path) throws Exception {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    List<Row> rows() {
        return db.query("SELECT agent_group_id, session_id, model, input_tokens, output_tokens, cache_read_tokens, "
                        + "cache_creation_tokens, created_at FROM token_usage WHERE session_id = ? ORDER BY id",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getString(8)), session);
    }

    /** The row is written off the streaming thread, so it may land a moment after the answer. */
    List<Row> awaitRows(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Row> rows = rows();
        while (rows.size() < n && System.nanoTime() < deadline) {
            recorder.drain();
            Thread.sleep(20);
            rows = rows();
        }
        return rows;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aStreamedAnthropicAnswerWritesOneRow() throws Exception {
        Instant before = Instant.now();
        HttpResponse<byte[]> res = post("/v1/messages");
        assertEquals(200, res.statusCode());
        assertEquals(HostWithFakeUpstreams.ANTHROPIC_SSE, new String(res.body(), StandardCharsets.UTF_8));

        List<Row> rows = awaitRows(1);
        assertEquals(1, rows.size(), rows.toString());
        Row r = rows.get(0);
        assertEquals(group, r.group());
        assertEquals(session, r.session());
        assertEquals("claude-sonnet-4-5-20250929", r.model());
        assertEquals(25, r.input());
        assertEquals(15, r.output(), "the last message_delta's cumulative count");
        assertEquals(2000, r.cacheRead());
        assertEquals(100, r.cacheCreation());
        Instant at = Timestamps.parseUtc(r.createdAt());
        assertNotNull(at, r.createdAt());
        assertTrue(r.createdAt().endsWith("Z"), "ISO UTC: " + r.createdAt());
        assertFalse(at.isBefore(before.minusSeconds(1)));
        recorder.drain();
        assertEquals(1, rows().size(), "one row per call");
    }

    @Test
    void eventsSplitAcrossReadsStillParse() throws Exception {
        String sse = HostWithFakeUpstreams.ANTHROPIC_SSE.replace("\n", "\r\n");
        // Cut inside "message_start", inside its usage numbers, between \r and \n, and inside message_delta.
        int[] cuts = {sse.indexOf("message_start", 30) + 4, sse.indexOf("\"input_tokens\":2") + 16,
                sse.indexOf("\r\n\r\nevent: content_block_start") + 1, sse.indexOf("\"output_tokens\":15") + 17};
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            pieces.add(utf8(sse.substring(from, cut)));
            from = cut;
        }
        pieces.add(utf8(sse.substring(from)));
        HostWithFakeUpstreams.anthropic.replies.add(
                new FakeUpstream.Reply(200, "text/event-stream", pieces, 60, false));

        HttpResponse<byte[]> res = post("/v1/messages");
        assertEquals(200, res.statusCode());
        assertEquals(sse, new String(res.body(), StandardCharsets.UTF_8));
        List<Row> rows = awaitRows(1);
        assertEquals(1, rows.size());
        assertEquals(new Row(group, session, "claude-sonnet-4-5-20250929", 25, 15, 2000, 100,
                rows.get(0).createdAt()), rows.get(0));
    }

    @Test
    void aNonStreamedJsonAnswerRecordsItsUsage() throws Exception {
        String json = "{\"id\":\"msg_02\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":321,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":4}}";
        HostWithFakeUpstreams.anthropic.replies.add(FakeUpstream.Reply.of(200, "application/json", json));

        HttpResponse<byte[]> res = post("/v1/messages");
        assertEquals(200, res.statusCode());
        assertEquals(json, new String(res.body(), StandardCharsets.UTF_8));
        List<Row> rows = awaitRows(1);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("claude-haiku-4-5", r.model());
        assertEquals(321, r.input());
        assertEquals(4, r.output());
    }

    @Test
    void anOpenAiStreamRecordsInputWithoutTheCachedTokens() throws Exception {
        HttpResponse<byte[]> res = post("/openai/v1/chat/completions");
        assertEquals(200, res.statusCode());
        assertEquals(HostWithFakeUpstreams.OPENAI_SSE, new String(res.body(), StandardCharsets.UTF_8));

        List<Row> rows = awaitRows(1);
        assertEquals(1, rows.size());
        assertEquals(new Row(group, session, "llama3.2", 1200 - 1024, 7, 1024, 0, rows.get(0).createdAt()),
                rows.get(0));
    }

    @Test
    void errorAnswersRecordNothing() throws Exception {
        HostWithFakeUpstreams.anthropic.replies.add(FakeUpstream.Reply.of(429, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"));
        // Even a 5xx whose body looks like a usage report is not counted.
        HostWithFakeUpstreams.anthropic.replies.add(FakeUpstream.Reply.of(500, "text/event-stream",
                HostWithFakeUpstreams.ANTHROPIC_SSE));
        HostWithFakeUpstreams.openai.replies.add(FakeUpstream.Reply.of(503, "application/json",
                "{\"error\":{\"message\":\"overloaded\"},\"usage\":{\"prompt_tokens\":5}}"));
        assertEquals(429, post("/v1/messages").statusCode());
        assertEquals(500, post("/v1/messages").statusCode());
        assertEquals(503, post("/openai/v1/chat/completions").statusCode());

        // The writer is one FIFO thread: once a later successful call's row is in, anything before it would be too.
        assertEquals(200, post("/v1/messages").statusCode());
        List<Row> rows = awaitRows(1);
        recorder.drain();
        assertEquals(1, rows().size(), rows.toString());
        assertEquals(15, rows.get(0).output());
    }

    @Test
    void aStreamCutInTheMiddleRecordsWhatWasSeen() throws Exception {
        String sse = HostWithFakeUpstreams.ANTHROPIC_SSE;
        String upToDelta = sse.substring(0, sse.indexOf("event: message_delta"));
        HostWithFakeUpstreams.anthropic.replies.add(new FakeUpstream.Reply(200, "text/event-stream",
                List.of(utf8(upToDelta), utf8("event: message_delta\ndata: {\"type\":\"message_de")), 30, true));

        HttpResponse<InputStream> res = http.send(request("/v1/messages").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode());
        byte[] got;
        try (InputStream in = res.body()) {
            got = in.readAllBytes();
        } catch (IOException e) {
            got = null; // the proxy passes the cut on: the client's read fails too
        }
        if (got != null) {
            assertTrue(new String(got, StandardCharsets.UTF_8).startsWith(upToDelta));
        }

        List<Row> rows = awaitRows(1);
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("claude-sonnet-4-5-20250929", r.model());
        assertEquals(25, r.input());
        assertEquals(1, r.output(), "message_start's count: the delta never arrived");
        assertEquals(2000, r.cacheRead());
        assertEquals(100, r.cacheCreation());
    }

    @Test
    void theClientGetsExactlyTheBytesUpstreamSent() throws Exception {
        // CRLF line ends, a comment line, multi-byte UTF-8 split between writes, a \r and its \n in separate
        // writes, and a last line with no line end at all.
        byte[] all = utf8(": keep-alive\r\n\r\n" + HostWithFakeUpstreams.ANTHROPIC_SSE.replace("\n", "\r\n")
                .replace("\"Hi\"", "\"Grüße 👋 ünïcödé\"") + "data: tail-without-newline");
        String text = new String(all, StandardCharsets.UTF_8);
        int emoji = indexOfBytes(all, utf8("👋"));
        int cr = indexOfBytes(all, utf8("\r\n\r\nevent: content_block_stop"));
        int[] cuts = {3, emoji + 2, cr + 1, all.length - 5};
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            pieces.add(Arrays.copyOfRange(all, from, cut));
            from = cut;
        }
        pieces.add(Arrays.copyOfRange(all, from, all.length));
        FakeUpstream.Reply reply = new FakeUpstream.Reply(200, "text/event-stream; charset=utf-8", pieces, 40, false);
        assertArrayEquals(all, reply.bytes());
        HostWithFakeUpstreams.anthropic.replies.add(reply);

        HttpResponse<byte[]> res = post("/v1/messages");
        assertEquals(200, res.statusCode());
        assertArrayEquals(all, res.body(), () -> "got " + new String(res.body(), StandardCharsets.UTF_8)
                + "\nwant " + text);
        assertEquals("text/event-stream; charset=utf-8", res.headers().firstValue("content-type").orElse(null));
        List<Row> rows = awaitRows(1);
        assertEquals(1, rows.size());
        assertEquals(15, rows.get(0).output());
    }

    static int indexOfBytes(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
