package io.nanoclaw.runner.tools.nanoclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.tools.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool list the model sees: names, order, required fields, and byte-stable schemas. */
class NanoclawToolsTest {
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
    void allToolsInAFixedOrder() {
        assertEquals(List.of("send_message", "send_file", "edit_message", "add_reaction", "ask_user_question",
                "send_card", "schedule_task", "list_tasks", "update_task", "cancel_task", "pause_task",
                "resume_task", "create_agent", "install_packages", "add_mcp_server"),
                NanoclawTools.all(f.env).stream().map(Tool::name).toList());
    }

    @Test
    void onlyListTasksIsReadOnly() {
        for (Tool t : NanoclawTools.all(f.env)) {
            assertEquals(t.name().equals("list_tasks"), t.readOnly(), t.name());
        }
    }

    @Test
    void requiredFieldsAsUpstreamDeclaresThem() {
        assertEquals("[\"text\"]", required("send_message"));
        assertEquals("[\"path\"]", required("send_file"));
        assertEquals("[\"messageId\",\"text\"]", required("edit_message"));
        assertEquals("[\"messageId\",\"emoji\"]", required("add_reaction"));
        assertEquals("[\"title\",\"question\",\"options\"]", required("ask_user_question"));
        assertEquals("[\"card\"]", required("send_card"));
        assertEquals("[\"prompt\",\"processAfter\"]", required("schedule_task"));
        assertEquals("null", required("list_tasks"));
        assertEquals("[\"taskId\"]", required("update_task"));
        assertEquals("[\"taskId\"]", required("cancel_task"));
        assertEquals("[\"name\"]", required("create_agent"));
        assertEquals("null", required("install_packages"));
        assertEquals("[\"name\",\"command\"]", required("add_mcp_server"));
        assertEquals("integer", f.tool("edit_message").inputSchema().at("/properties/messageId/type").asText());
    }

    @Test
    void schemasAndDescriptionsAreByteStable() {
        List<String> first = new ArrayList<>();
        for (Tool t : NanoclawTools.all(f.env)) {
            first.add(t.name() + t.description() + t.inputSchema());
            assertFalse(t.description().isBlank(), t.name());
            assertEquals("object", t.inputSchema().get("type").asText());
            assertTrue(t.inputSchema().get("properties").isObject(), t.name());
        }
        List<String> second = new ArrayList<>();
        for (Tool t : NanoclawTools.all(f.env)) {
            t.inputSchema().put("mutated", true); // a copy: the next call must not see it
            second.add(t.name() + t.description() + t.inputSchema());
        }
        assertEquals(first, second);
    }

    private String required(String tool) {
        JsonNode r = f.tool(tool).inputSchema().get("required");
        return r == null ? "null" : r.toString();
    }
}
