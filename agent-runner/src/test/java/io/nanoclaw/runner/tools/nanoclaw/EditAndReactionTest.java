package io.nanoclaw.runner.tools.nanoclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.testing.SessionFixture.OutRow;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** edit_message and add_reaction: seq → platform id and routing (agent-runner.md 3.2). */
class EditAndReactionTest {
    @TempDir
    Path root;

    private ToolsFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new ToolsFixture(root);
        f.session.sessionRouting("slack", "C1", "ts-1");
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void anInboundSeqUsesTheInboundRowIdAndItsRouting() throws Exception {
        f.session.row("1700000000.123:ag-1", 2).routing("C9", "slack", "ts-9").insert();

        assertEquals("Reaction queued for #2",
                f.run("add_reaction", "{\"messageId\":2,\"emoji\":\"thumbs_up\"}").text());

        OutRow row = f.onlyRow();
        assertTrue(row.id().startsWith("msg-"), row.id());
        assertEquals(3, row.seq());
        assertEquals("chat", row.kind());
        assertEquals("C9", row.platformId());
        assertEquals("slack", row.channelType());
        assertEquals("ts-9", row.threadId());
        assertNull(row.inReplyTo());
        assertEquals("{\"operation\":\"reaction\",\"messageId\":\"1700000000.123:ag-1\",\"emoji\":\"thumbs_up\"}",
                row.content().toString());
    }

    @Test
    void anOutboundSeqUsesTheDeliveredPlatformId() throws Exception {
        f.run("send_message", "{\"text\":\"draft\"}");
        OutRow sent = f.onlyRow();
        f.session.delivered(sent.id(), "1700000001.555");

        assertEquals("Message edit queued for #1", f.run("edit_message", "{\"messageId\":1,\"text\":\"final\"}").text());

        OutRow edit = f.session.replies().get(1);
        assertEquals("{\"operation\":\"edit\",\"messageId\":\"1700000001.555\",\"text\":\"final\"}",
                edit.content().toString());
        assertEquals("C1", edit.platformId());
        assertEquals("slack", edit.channelType());
        assertEquals("ts-1", edit.threadId());
        assertNull(edit.inReplyTo());
    }

    @Test
    void anUndeliveredOutboundSeqUsesOurRowId() throws Exception {
        f.run("send_message", "{\"text\":\"draft\"}");
        OutRow sent = f.onlyRow();

        assertEquals("Message edit queued for #1",
                f.run("edit_message", "{\"messageId\":\"1\",\"text\":\"final\"}").text());

        assertEquals(sent.id(), f.session.replies().get(1).content().get("messageId").asText());
    }

    @Test
    void anUnknownSeqIsNotFound() throws Exception {
        assertEquals("Error: Message #99 not found", f.run("edit_message", "{\"messageId\":99,\"text\":\"x\"}").text());
        assertEquals("Error: Message #98 not found", f.run("add_reaction", "{\"messageId\":98,\"emoji\":\"x\"}").text());
        assertTrue(f.session.replies().isEmpty());
    }

    @Test
    void aRowWithoutAnAddressCannotBeTargeted() throws Exception {
        f.session.row("sys-in-1", 2).kind("system").routing(null, null, null).insert();

        assertEquals("Error: Cannot determine destination for message #2",
                f.run("edit_message", "{\"messageId\":2,\"text\":\"x\"}").text());
    }

    @Test
    void bothFieldsAreRequired() throws Exception {
        assertEquals("Error: messageId and text are required", f.run("edit_message", "{\"messageId\":2}").text());
        assertEquals("Error: messageId and emoji are required", f.run("add_reaction", "{\"emoji\":\"x\"}").text());
        assertEquals(List.of(), f.session.replies());
    }
}
