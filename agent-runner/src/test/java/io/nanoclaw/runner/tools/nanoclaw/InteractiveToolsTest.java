package io.nanoclaw.runner.tools.nanoclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.SystemAnswers;
import io.nanoclaw.runner.testing.SessionFixture.OutRow;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ask_user_question and send_card (agent-runner.md 3.4). */
class InteractiveToolsTest {
    @TempDir
    Path root;

    private ToolsFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new ToolsFixture(root);
        f.session.sessionRouting("telegram", "chat-1", "th-1");
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void aQuestionIsAnsweredByTheHostsSystemRow() throws Exception {
        // Noise the tool must not take: another question's answer, an unparseable row, and a row that only
        // mentions the id in a text.
        f.session.row("sys-other", 2).kind("system").trigger(0)
                .content("{\"type\":\"question_response\",\"questionId\":\"msg-0-other\",\"selectedOption\":\"no\"}")
                .insert();
        f.session.row("sys-garbage", 4).kind("system").content("not json").insert();

        CompletableFuture<ToolResult> call = CompletableFuture.supplyAsync(() -> {
            try {
                return f.run("ask_user_question", "{\"title\":\"Confirm\",\"question\":\"Delete it?\","
                        + "\"options\":[\"yes\",{\"label\":\"No way\",\"value\":\"no\"}],\"timeout\":20}");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        OutRow question = awaitQuestionRow();
        String qid = question.id();
        f.session.row("sys-mention", 6).kind("system")
                .content("{\"type\":\"chat\",\"text\":\"\\\"questionId\\\":\\\"" + qid + "\\\"\"}").insert();
        Thread.sleep(300);
        f.session.row("sys-answer", 8).kind("system").trigger(0)
                .content("{\"type\":\"question_response\",\"questionId\":\"" + qid
                        + "\",\"selectedOption\":\"no\",\"userId\":\"telegram:42\"}")
                .insert();

        ToolResult r = call.get(10, TimeUnit.SECONDS);

        assertFalse(r.isError(), r.text());
        assertEquals("no", r.text());
        assertEquals(Optional.of("completed"), f.session.ackStatus("sys-answer"));
        assertEquals(Optional.empty(), f.session.ackStatus("sys-other"));
        assertEquals(Optional.empty(), f.session.ackStatus("sys-mention"));
        assertEquals("started ask_user_question 20000", f.events.get(0));
        assertTrue(f.events.contains("working"));
        assertEquals("finished", f.events.get(f.events.size() - 1));
        assertTrue(f.clock.sleeps.stream().allMatch(d -> d.compareTo(Duration.ofSeconds(1)) <= 0));
    }

    @Test
    void theQuestionRowCarriesTheNormalisedOptions() throws Exception {
        f.clock.useVirtualTime();

        f.run("ask_user_question", "{\"title\":\"T\",\"question\":\"Q?\",\"options\":[\"a\","
                + "{\"label\":\"B\",\"selectedLabel\":\"B picked\",\"value\":\"b\"},{\"label\":\"C\"}],\"timeout\":1}");

        OutRow row = f.session.replies().get(0);
        assertTrue(row.id().startsWith("msg-"), row.id());
        assertEquals("chat-sdk", row.kind());
        assertEquals("chat-1", row.platformId());
        assertEquals("telegram", row.channelType());
        assertEquals("th-1", row.threadId());
        assertNull(row.inReplyTo());
        assertEquals("{\"type\":\"ask_question\",\"questionId\":\"" + row.id() + "\",\"title\":\"T\","
                + "\"question\":\"Q?\",\"options\":[{\"label\":\"a\",\"selectedLabel\":\"a\",\"value\":\"a\"},"
                + "{\"label\":\"B\",\"selectedLabel\":\"B picked\",\"value\":\"b\"},"
                + "{\"label\":\"C\",\"selectedLabel\":\"C\",\"value\":\"C\"}]}", row.content().toString());
    }

    @Test
    void anUnansweredQuestionTimesOut() throws Exception {
        f.clock.useVirtualTime();

        ToolResult r = f.run("ask_user_question",
                "{\"title\":\"T\",\"question\":\"Q?\",\"options\":[\"a\"],\"timeout\":2}");

        assertTrue(r.isError());
        assertEquals("Error: Question timed out after 2s", r.text());
        List<OutRow> rows = f.session.replies();
        assertEquals(2, rows.size());
        assertEquals("system", rows.get(1).kind());
        assertEquals("{\"action\":\"question_timeout\",\"questionId\":\"" + rows.get(0).id() + "\"}",
                rows.get(1).content().toString(), "the host is told, so it can close the card");
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), f.clock.sleeps);
        assertEquals(List.of("started ask_user_question 2000", "working", "working", "working", "finished"),
                f.events);
    }

    @Test
    void anAnswerAlreadyTakenIsNotTakenTwice() throws Exception {
        // An answer this runner acked but the host has not yet marked completed is still pending in inbound.db.
        f.session.row("sys-old", 2).kind("system")
                .content("{\"type\":\"question_response\",\"questionId\":\"msg-q\",\"selectedOption\":\"a\"}").insert();
        f.outbound.ack(List.of("sys-old"), AckStatus.COMPLETED);

        assertTrue(SystemAnswers.find(f.inbound, f.outbound, "question_response",
                "questionId", "msg-q").isEmpty());
    }

    @Test
    void questionInputIsChecked() throws Exception {
        assertEquals("Error: title, question, and options are required",
                f.run("ask_user_question", "{\"title\":\"T\",\"question\":\"Q\",\"options\":[]}").text());
        assertEquals("Error: each option must be a string or an object with a label",
                f.run("ask_user_question", "{\"title\":\"T\",\"question\":\"Q\",\"options\":[{\"value\":1}]}").text());
        assertEquals("Error: timeout must be between 0 and 86400 seconds",
                f.run("ask_user_question", "{\"title\":\"T\",\"question\":\"Q\",\"options\":[\"a\"],\"timeout\":-1}")
                        .text());
        assertTrue(f.session.replies().isEmpty());
    }

    @Test
    void withoutAChatOfItsOwnTheQuestionIsRefusedAtOnce() throws Exception {
        f.session.host().createStatement().execute("DELETE FROM session_routing");

        ToolResult r = f.run("ask_user_question", "{\"title\":\"T\",\"question\":\"Q\",\"options\":[\"a\"]}");

        assertTrue(r.text().startsWith("Error: this session has no conversation of its own"), r.text());
        assertTrue(f.session.replies().isEmpty());
        assertTrue(f.events.isEmpty());
    }

    @Test
    void aCardGoesToTheSessionChat() throws Exception {
        ToolResult r = f.run("send_card", "{\"card\":{\"title\":\"Docs\",\"children\":[\"line\"],"
                + "\"actions\":[{\"label\":\"Open\",\"url\":\"https://example.com\"}]}}");

        OutRow row = f.onlyRow();
        assertEquals("Card sent (id: " + row.id() + ")", r.text());
        assertTrue(row.id().startsWith("msg-"), row.id());
        assertEquals("chat-sdk", row.kind());
        assertEquals("chat-1", row.platformId());
        assertEquals("telegram", row.channelType());
        assertEquals("th-1", row.threadId());
        assertNull(row.inReplyTo());
        assertEquals("{\"type\":\"card\",\"card\":{\"title\":\"Docs\",\"children\":[\"line\"],\"actions\":"
                + "[{\"label\":\"Open\",\"url\":\"https://example.com\"}]},\"fallbackText\":\"\"}",
                row.content().toString());
    }

    @Test
    void aCardKeepsItsFallbackTextAndNeedsACard() throws Exception {
        f.run("send_card", "{\"card\":{\"title\":\"T\"},\"fallbackText\":\"T (text)\"}");
        assertEquals("T (text)", f.onlyRow().content().get("fallbackText").asText());
        assertEquals("Error: card is required", f.run("send_card", "{\"card\":\"T\"}").text());
    }

    private OutRow awaitQuestionRow() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<OutRow> rows = f.session.replies();
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no question row written");
    }
}
