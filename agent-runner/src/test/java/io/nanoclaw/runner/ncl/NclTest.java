package io.nanoclaw.runner.ncl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.protocol.ContainerEnv;
import io.nanoclaw.protocol.JournalMode;
import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.store.OutboundStore;
import io.nanoclaw.runner.store.ToolInbound;
import io.nanoclaw.runner.testing.SessionFixture;
import io.nanoclaw.runner.testing.SessionFixture.OutRow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agents' ncl against real session files: the test plays the host, reading the request from outbound.db and
 * writing the cli_response into inbound.db (agent-runner.md 3.6, host.md 6.4).
 */
class NclTest {
    @TempDir
    Path root;

    private SessionFixture session;
    private Map<String, String> env;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void open() throws Exception {
        session = new SessionFixture(root);
        session.chat("m-1", 2, "hello"); // so the request's seq must clear the inbound maximum
        env = Map.of(ContainerEnv.WORKSPACE, session.workspace().toString(), ContainerEnv.JOURNAL_MODE, "WAL",
                ContainerEnv.TZ, "UTC");
    }

    @AfterEach
    void close() throws Exception {
        session.close();
    }

    @Test
    void aRequestIsAnsweredAndPrintedAsATable() throws Exception {
        CompletableFuture<OutRow> host = answerNextRequest(
                "{\"ok\":true,\"data\":[{\"id\":\"ag-1\",\"name\":\"main\",\"sessions\":2},"
                        + "{\"id\":\"ag-22\",\"name\":\"research\",\"sessions\":null}]}");

        int code = ncl(Duration.ofSeconds(10), "groups", "list", "--limit", "5", "--include-archived");

        assertEquals(0, code, err());
        assertEquals("""
                id     name      sessions
                -----  --------  --------
                ag-1   main      2      \s
                ag-22  research         \s
                """, out());
        assertEquals("", err());
        OutRow request = host.get(1, TimeUnit.SECONDS);
        assertTrue(request.id().startsWith("cli-"), request.id());
        assertEquals(3, request.seq(), "odd, above the inbound maximum");
        assertEquals("system", request.kind());
        assertNull(request.platformId());
        assertNull(request.channelType());
        assertNull(request.threadId());
        assertNull(request.inReplyTo());
        assertEquals("{\"action\":\"cli_request\",\"requestId\":\"" + request.id() + "\",\"command\":\"groups-list\","
                + "\"args\":{\"limit\":\"5\",\"include_archived\":true}}", request.content().toString());
        assertEquals(Optional.of("completed"), session.ackStatus("cli-resp-" + request.id()));
    }

    @Test
    void sharesOutboundDbWithTheRunnersWriter() throws Exception {
        try (OutboundStore runner = OutboundStore.open(session.workspace().resolve("outbound.db"), JournalMode.WAL);
             ToolInbound inbound = ToolInbound.open(session.workspace().resolve("inbound.db"))) {
            runner.write(List.of(OutboundMessage.chat("before", null, null)), List.of(), AckStatus.COMPLETED, inbound);
            CompletableFuture<OutRow> host = answerNextRequest("{\"ok\":true,\"data\":[]}");

            assertEquals(0, ncl(Duration.ofSeconds(10), "sessions", "list"));

            assertEquals("(no rows)\n", out());
            assertEquals(5, host.get(1, TimeUnit.SECONDS).seq());
            runner.write(List.of(OutboundMessage.chat("after", null, null)), List.of(), AckStatus.COMPLETED, inbound);
            assertEquals(List.of(3L, 5L, 7L), session.replies().stream().map(OutRow::seq).toList());
        }
    }

    @Test
    void anErrorFrameExitsOneWithTheCodeAndMessage() throws Exception {
        answerNextRequest("{\"ok\":false,\"error\":{\"code\":\"forbidden\",\"message\":\"cli_scope is group\"}}");

        int code = ncl(Duration.ofSeconds(10), "groups", "delete", "--id", "ag-9");

        assertEquals(1, code);
        assertEquals("", out());
        assertEquals("error (forbidden): cli_scope is group\n", err());
    }

    @Test
    void jsonPrintsTheWholeFrame() throws Exception {
        CompletableFuture<OutRow> host = answerNextRequest("{\"ok\":true,\"data\":{\"status\":\"approval-pending\"}}");

        int code = ncl(Duration.ofSeconds(10), "--json", "groups", "restart");

        assertEquals(0, code);
        String id = host.get(1, TimeUnit.SECONDS).id();
        assertEquals("{\n  \"id\": \"" + id + "\",\n  \"ok\": true,\n  \"data\": {\n    \"status\": \"approval-pending\"\n"
                + "  }\n}\n", out());
    }

    @Test
    void noAnswerExitsTwoWithTheTimeoutMessage() throws Exception {
        int code = ncl(Duration.ofMillis(300), "groups", "list");

        assertEquals(2, code);
        assertEquals("ncl: command timed out after 0.3s\n", err());
        assertEquals(1, session.replies().size(), "the request was written");
    }

    @Test
    void theTimeoutComesFromTheEnvironment() throws Exception {
        env = new HashMap<>(env);
        env.put(Ncl.TIMEOUT_ENV, "200");

        assertEquals(2, ncl(null, "help"));
        assertEquals("ncl: command timed out after 0.2s\n", err());
    }

    @Test
    void usageAndAMissingCommand() {
        assertEquals(0, ncl(null));
        assertTrue(out().startsWith("Usage: ncl <resource> <verb>"), out());
        assertEquals(2, ncl(null, "--json"));
        assertTrue(err().startsWith("ncl: missing command\n"), err());
    }

    /** Plays the host: waits for the next cli_request row, then answers it with this frame (id filled in). */
    private CompletableFuture<OutRow> answerNextRequest(String frameWithoutId) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                OutRow req = awaitRequest();
                String requestId = req.content().get("requestId").asText();
                String frame = "{\"id\":\"" + requestId + "\"," + frameWithoutId.substring(1);
                session.row("cli-resp-" + requestId, req.seq() + 1).kind("system").trigger(0).routing(null, null, null)
                        .content("{\"type\":\"cli_response\",\"requestId\":\"" + requestId + "\",\"frame\":" + frame
                                + "}")
                        .insert();
                return req;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private OutRow awaitRequest() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<OutRow> rows = session.replies();
            for (OutRow r : rows) {
                JsonNode c = r.content();
                if ("cli_request".equals(c.path("action").asText())) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no cli_request row written");
    }

    private int ncl(Duration timeout, String... argv) {
        out.reset();
        err.reset();
        return Ncl.run(argv, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), timeout);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
