package io.nanoclaw.runner.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.InboundStore;
import io.nanoclaw.runner.testing.SessionFixture;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent-runner.md section 7, items 1-8 and 13-14: the prompt's byte shapes. */
class MessageFormatterTest {
    private static final String JUNE = "2026-06-15T12:00:00.000Z"; // 8:00 AM in New York
    private static final String TIME = "Jun 15, 2026, 8:00 AM";
    private static final String HEADER = "<context timezone=\"America/New_York\" />\n";

    private final MessageFormatter formatter = new MessageFormatter(ZoneId.of("America/New_York"),
            (ct, pid) -> "cli".equals(ct) && "local".equals(pid) ? Optional.of("cli") : Optional.empty());

    private static InboundRow chat(String id, long seq, String content) {
        return new InboundRow(id, seq, "chat", JUNE, true, "local", "cli", null, content);
    }

    private static InboundRow row(String kind, String content) {
        return new InboundRow("r-" + kind, 10L, kind, JUNE, true, "local", "cli", null, content);
    }

    @Test
    void headerAlwaysComesFirstEvenForAnEmptyBatch() throws Exception {
        assertEquals(HEADER, formatter.format(List.of()));
        String two = formatter.format(List.of(chat("a", 2, "{\"text\":\"x\"}"), chat("b", 4, "{\"text\":\"y\"}")));
        assertTrue(two.startsWith(HEADER + "<messages>\n"), two);
    }

    @Test
    void timesShowYearShortMonthAndAmPm() throws Exception {
        String out = formatter.format(List.of(chat("a", 2, "{\"text\":\"x\"}")));
        assertTrue(out.contains("time=\"" + TIME + "\""), out);
        assertTrue(out.contains("2026") && out.contains("Jun") && out.matches("(?s).*\\b(AM|PM)\\b.*"));
    }

    @Test
    void oneChatIsABareMessageWithExactShape() throws Exception {
        String out = formatter.format(List.of(chat("a", 2, "{\"text\":\"Hello\",\"sender\":\"Alice\"}")));
        assertEquals(HEADER + "<message id=\"2\" from=\"cli\" sender=\"Alice\" time=\"" + TIME + "\">Hello</message>",
                out);
    }

    @Test
    void twoChatsAreWrappedOnePerLine() throws Exception {
        String out = formatter.format(List.of(chat("a", 2, "{\"text\":\"one\",\"sender\":\"A\"}"),
                chat("b", 4, "{\"text\":\"two\",\"sender\":\"B\"}")));
        assertEquals(HEADER + "<messages>\n"
                + "<message id=\"2\" from=\"cli\" sender=\"A\" time=\"" + TIME + "\">one</message>\n"
                + "<message id=\"4\" from=\"cli\" sender=\"B\" time=\"" + TIME + "\">two</message>\n"
                + "</messages>", out);
    }

    @Test
    void fullReplyToGivesAttributeAndQuoteBeforeTheText() throws Exception {
        String out = formatter.format(List.of(chat("a", 2, "{\"text\":\"Sure\",\"sender\":\"Alice\","
                + "\"replyTo\":{\"id\":\"42\",\"sender\":\"Bob\",\"text\":\"Lunch?\"}}")));
        assertEquals(HEADER + "<message id=\"2\" from=\"cli\" sender=\"Alice\" time=\"" + TIME + "\" reply_to=\"42\">"
                + "\n  <quoted_message from=\"Bob\">Lunch?</quoted_message>\nSure</message>", out);
    }

    @Test
    void replyToWithoutTextGivesTheAttributeOnly() throws Exception {
        String none = formatter.format(List.of(chat("a", 2, "{\"text\":\"x\"}")));
        assertFalse(none.contains("reply_to"));
        assertFalse(none.contains("quoted_message"));
        String idOnly = formatter.format(List.of(chat("a", 2, "{\"text\":\"x\",\"replyTo\":{\"id\":42,\"sender\":\"Bob\"}}")));
        assertTrue(idOnly.contains(" reply_to=\"42\">x</message>"), idOnly);
        assertFalse(idOnly.contains("quoted_message"));
    }

    @Test
    void senderBodyAndReplyContextAreEscaped() throws Exception {
        String out = formatter.format(List.of(chat("a", 2, "{\"text\":\"<b>x</b> & \\\"y\\\"\","
                + "\"sender\":\"A & \\\"B\\\" <c>\",\"replyTo\":{\"id\":\"1\",\"sender\":\"<Bob>\",\"text\":\"a & b\"}}")));
        assertTrue(out.contains("sender=\"A &amp; &quot;B&quot; &lt;c&gt;\""), out);
        assertTrue(out.contains("<quoted_message from=\"&lt;Bob&gt;\">a &amp; b</quoted_message>"), out);
        assertTrue(out.contains("&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;</message>"), out);
    }

    @Test
    void senderFallsBackToAuthorThenUnknown() throws Exception {
        assertTrue(formatter.format(List.of(chat("a", 2, "{\"text\":\"x\",\"author\":{\"fullName\":\"Full\",\"userName\":\"u\"}}")))
                .contains("sender=\"Full\""));
        assertTrue(formatter.format(List.of(chat("a", 2, "{\"text\":\"x\",\"author\":{\"userName\":\"u\"}}")))
                .contains("sender=\"u\""));
        assertTrue(formatter.format(List.of(chat("a", 2, "{\"text\":\"x\"}"))).contains("sender=\"Unknown\""));
    }

    @Test
    void nonJsonContentIsTheText() throws Exception {
        assertTrue(formatter.format(List.of(chat("a", 2, "plain & simple"))).contains(">plain &amp; simple</message>"));
    }

    @Test
    void attachmentsFollowTheText() throws Exception {
        String out = formatter.format(List.of(chat("a", 2, "{\"text\":\"see\",\"attachments\":["
                + "{\"type\":\"image\",\"name\":\"cat.png\",\"localPath\":\"inbox/a/cat.png\"},"
                + "{\"filename\":\"doc.pdf\",\"url\":\"https://x.test/doc.pdf\"},"
                + "{}]}")));
        assertTrue(out.endsWith(">see\n[image: cat.png \u2014 saved to /workspace/inbox/a/cat.png]\n"
                + "[file: doc.pdf (https://x.test/doc.pdf)]\n[file: attachment]</message>"), out);
    }

    @Test
    void otherKindsHaveTheirOwnElements() throws Exception {
        String task = formatter.format(List.of(row("task", "{\"prompt\":\"Water the plants\"}")));
        assertEquals(HEADER + "<task from=\"cli\" time=\"" + TIME + "\">Instructions:\nWater the plants</task>", task);
        String scripted = formatter.format(List.of(row("task", "{\"prompt\":\"P\",\"scriptOutput\":{\"a\":1,\"b\":[true]}}")));
        assertTrue(scripted.contains(">Script output:\n{\n  \"a\": 1,\n  \"b\": [\n    true\n  ]\n}\n\nInstructions:\nP</task>"),
                scripted);
        String hook = formatter.format(List.of(row("webhook", "{\"source\":\"github\",\"event\":\"push\",\"payload\":{\"ref\":\"main\"}}")));
        assertEquals(HEADER + "<webhook from=\"cli\" source=\"github\" event=\"push\">{\n  \"ref\": \"main\"\n}</webhook>", hook);
        String bare = formatter.format(List.of(row("webhook", "{\"x\":1}")));
        assertTrue(bare.contains("<webhook from=\"cli\" source=\"unknown\" event=\"unknown\">{\n  \"x\": 1\n}</webhook>"), bare);
        String sys = formatter.format(List.of(row("system", "{\"action\":\"ask\",\"status\":\"ok\",\"result\":{\"x\":1}}")));
        assertEquals(HEADER + "<system_response from=\"cli\" action=\"ask\" status=\"ok\">{\"x\":1}</system_response>", sys);
    }

    @Test
    void mixedBatchesGroupByKindInFixedOrder() throws Exception {
        String out = formatter.format(List.of(row("system", "{\"action\":\"a\"}"), row("webhook", "{}"),
                row("task", "{\"prompt\":\"T\"}"), chat("c", 2, "{\"text\":\"C\"}")));
        int chat = out.indexOf("<message ");
        int task = out.indexOf("<task ");
        int hook = out.indexOf("<webhook ");
        int sys = out.indexOf("<system_response ");
        assertTrue(chat > 0 && chat < task && task < hook && hook < sys, out);
        assertTrue(out.contains("</message>\n\n<task"), out);
    }

    @Test
    void originIsTheDestinationNameOrUnknownOrAbsent(@TempDir Path tmp) throws Exception {
        try (SessionFixture session = new SessionFixture(tmp)) {
            session.addDestination("family", "channel", "telegram", "chat-1", null);
            session.addDestination("researcher", "agent", null, null, "ag-2");
            try (InboundStore inbound = InboundStore.open(session.workspace().resolve("inbound.db"))) {
                MessageFormatter f = new MessageFormatter(ZoneId.of("UTC"), inbound);
                assertTrue(f.format(List.of(routed("telegram", "chat-1", "chat"))).contains(" from=\"family\" "));
                assertTrue(f.format(List.of(routed("telegram", "chat-999", "chat")))
                        .contains(" from=\"unknown:telegram:chat-999\" "));
                assertTrue(f.format(List.of(routed("agent", "ag-2", "chat"))).contains(" from=\"researcher\" "));
                assertFalse(f.format(List.of(routed(null, null, "chat"))).contains("from="));
                assertTrue(f.format(List.of(routed("telegram", "chat-1", "task"))).contains("<task from=\"family\" "));
                assertTrue(f.format(List.of(routed("telegram", "chat-1", "webhook"))).contains("<webhook from=\"family\" "));
            }
        }
    }

    private static InboundRow routed(String ct, String pid, String kind) {
        return new InboundRow("x", 2L, kind, JUNE, true, pid, ct, null, "{\"text\":\"t\",\"prompt\":\"p\"}");
    }
}
