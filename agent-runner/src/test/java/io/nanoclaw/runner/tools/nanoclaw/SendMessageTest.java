package io.nanoclaw.runner.tools.nanoclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.testing.SessionFixture.OutRow;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** send_message and resolveRouting (agent-runner.md 3.1, 3.2). */
class SendMessageTest {
    @TempDir
    Path root;

    private ToolsFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new ToolsFixture(root);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void withoutToGoesToTheSessionsOwnChatAndThreadStampingTheCurrentBatch() throws Exception {
        f.session.sessionRouting("telegram", "chat-1", "thread-9");
        f.session.chat("m-batch-1", 4, "hello");

        ToolResult r = f.run("send_message", "{\"text\":\"on it\"}");

        assertFalse(r.isError(), r.text());
        assertEquals("Message sent to (current conversation) (id: 5)", r.text());
        OutRow row = f.onlyRow();
        assertTrue(row.id().startsWith("msg-"), row.id());
        assertEquals(5, row.seq());
        assertEquals("chat", row.kind());
        assertEquals("chat-1", row.platformId());
        assertEquals("telegram", row.channelType());
        assertEquals("thread-9", row.threadId());
        assertEquals(ToolsFixture.BATCH_ID, row.inReplyTo());
        assertEquals("{\"text\":\"on it\"}", row.content().toString());
    }

    @Test
    void betweenBatchesInReplyToIsNull() throws Exception {
        f.session.sessionRouting("telegram", "chat-1", null);
        f.inReplyTo = null;

        assertFalse(f.run("send_message", "{\"text\":\"x\"}").isError());

        assertNull(f.onlyRow().inReplyTo());
    }

    @Test
    void noRoutingAndNoDestinations() throws Exception {
        ToolResult r = f.run("send_message", "{\"text\":\"x\"}");

        assertTrue(r.isError());
        assertEquals("Error: No destinations configured.", r.text());
        assertTrue(f.session.replies().isEmpty());
    }

    @Test
    void noRoutingAndOneDestinationUsesIt() throws Exception {
        f.session.addDestination("family", "channel", "whatsapp", "grp-7", null);

        ToolResult r = f.run("send_message", "{\"text\":\"x\"}");

        assertEquals("Message sent to family (id: 1)", r.text());
        OutRow row = f.onlyRow();
        assertEquals("grp-7", row.platformId());
        assertEquals("whatsapp", row.channelType());
        assertNull(row.threadId());
    }

    @Test
    void noRoutingAndSeveralDestinationsAsksForTo() throws Exception {
        f.session.addDestination("family", "channel", "whatsapp", "grp-7", null);
        f.session.addDestination("worker", "agent", null, null, "ag-2");

        ToolResult r = f.run("send_message", "{\"text\":\"x\"}");

        assertEquals("Error: You have multiple destinations — specify \"to\". Options: family, worker", r.text());
    }

    @Test
    void anUnknownNameListsTheKnownOnes() throws Exception {
        f.session.addDestination("family", "channel", "whatsapp", "grp-7", null);
        f.session.addDestination("worker", "agent", null, null, "ag-2");

        assertEquals("Error: Unknown destination \"boss\". Known: family, worker",
                f.run("send_message", "{\"to\":\"boss\",\"text\":\"x\"}").text());
    }

    @Test
    void anUnknownNameWithNoDestinationsSaysNone() throws Exception {
        f.session.sessionRouting("cli", "local", null);

        assertEquals("Error: Unknown destination \"boss\". Known: (none)",
                f.run("send_message", "{\"to\":\"boss\",\"text\":\"x\"}").text());
    }

    @Test
    void theThreadIsKeptOnlyForTheSessionsOwnChannel() throws Exception {
        f.session.sessionRouting("slack", "C1", "ts-1");
        f.session.addDestination("here", "channel", "slack", "C1", null);
        f.session.addDestination("there", "channel", "slack", "C2", null);

        assertEquals("Message sent to here (id: 1)", f.run("send_message", "{\"to\":\"here\",\"text\":\"a\"}").text());
        assertEquals("Message sent to there (id: 3)",
                f.run("send_message", "{\"to\":\"there\",\"text\":\"b\"}").text());

        var rows = f.session.replies();
        assertEquals("C1", rows.get(0).platformId());
        assertEquals("ts-1", rows.get(0).threadId());
        assertEquals("C2", rows.get(1).platformId());
        assertNull(rows.get(1).threadId());
    }

    @Test
    void anAgentDestinationRoutesToItsGroup() throws Exception {
        f.session.sessionRouting("slack", "C1", "ts-1");
        f.session.addDestination("worker", "agent", null, null, "ag-2");

        assertEquals("Message sent to worker (id: 1)",
                f.run("send_message", "{\"to\":\"worker\",\"text\":\"do it\"}").text());

        OutRow row = f.onlyRow();
        assertEquals("agent", row.channelType());
        assertEquals("ag-2", row.platformId());
        assertNull(row.threadId());
        assertEquals(ToolsFixture.BATCH_ID, row.inReplyTo());
    }

    @Test
    void textIsRequired() throws Exception {
        assertEquals("Error: text is required", f.run("send_message", "{\"to\":\"x\"}").text());
        assertEquals("Error: text is required", f.run("send_message", "{\"text\":\"\"}").text());
    }
}
