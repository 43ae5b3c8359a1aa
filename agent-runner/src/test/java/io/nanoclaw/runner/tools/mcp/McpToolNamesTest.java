package io.nanoclaw.runner.tools.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class McpToolNamesTest {
    @Test
    void sanitisesLikeClaudeCode() {
        assertEquals("mcp__my_server_v2__read_file", McpToolNames.of("my.server v2", "read_file"));
        assertEquals("mcp__gh__issues_list", McpToolNames.of("gh", "issues.list"));
        assertEquals("mcp__a-b_C__x-y", McpToolNames.of("a-b_C", "x-y"));
    }

    @Test
    void longNamesAreCutTo64AndStayDistinct() {
        String server = "a-very-long-server-name-that-goes-on-and-on";
        String one = McpToolNames.of(server, "create_a_pull_request_with_many_details_first");
        String two = McpToolNames.of(server, "create_a_pull_request_with_many_details_second");
        assertTrue(one.length() <= 64 && two.length() <= 64, one + " " + two);
        assertTrue(one.startsWith("mcp__a-very-long-server-n__create_a_pull"), one);
        assertNotEquals(one, two);
        assertEquals(one, McpToolNames.of(server, "create_a_pull_request_with_many_details_first"));
        String exactly64 = "mcp__" + "s".repeat(20) + "__" + "t".repeat(37);
        assertEquals(64, exactly64.length());
        assertEquals(exactly64, McpToolNames.of("s".repeat(20), "t".repeat(37)));
    }
}
