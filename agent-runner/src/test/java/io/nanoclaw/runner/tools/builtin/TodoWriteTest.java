package io.nanoclaw.runner.tools.builtin;

import static io.nanoclaw.runner.tools.builtin.ToolFixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TodoWriteTest {
    @TempDir
    Path ws;

    private static final String VALID = """
            {"todos":[
              {"content":"Read the file","status":"completed","activeForm":"Reading the file"},
              {"content":"Write the patch","status":"in_progress","activeForm":"Writing the patch"},
              {"content":"Run the tests","status":"pending","activeForm":"Running the tests"}]}""";

    @Test
    void aValidListIsKeptWrittenAndConfirmed() throws Exception {
        Path file = ws.resolve("state/todos-s1.json");
        TodoWrite tool = new TodoWrite(file);
        ToolResult r = run(tool, ws, VALID);
        assertFalse(r.isError());
        assertEquals("Todos have been modified successfully. Ensure that you continue to use the todo list to track"
                + " your progress. Please proceed with the current tasks if applicable", r.text());
        assertEquals(List.of(
                new TodoWrite.Todo("Read the file", "completed", "Reading the file"),
                new TodoWrite.Todo("Write the patch", "in_progress", "Writing the patch"),
                new TodoWrite.Todo("Run the tests", "pending", "Running the tests")), tool.todos());
        assertEquals(Json.parse(VALID).get("todos"), Json.parse(Files.readString(file)));

        assertFalse(run(tool, ws, "{\"todos\":[]}").isError(), "an empty list clears it");
        assertEquals(List.of(), tool.todos());
        assertEquals("[]", Json.parse(Files.readString(file)).toString());
    }

    @Test
    void invalidListsAreErrorsAndKeepTheLastGoodOne() {
        TodoWrite tool = new TodoWrite(null);
        run(tool, ws, VALID);
        assertError(tool, "{}", "missing required parameter: todos");
        assertError(tool, "{\"todos\":\"do it\"}", "parameter todos must be an array of {content, status, activeForm}");
        assertError(tool, "{\"todos\":[{\"content\":\"a\",\"status\":\"done\",\"activeForm\":\"A\"}]}",
                "todos[0].status must be one of pending, in_progress, completed (got \"done\")");
        assertError(tool, "{\"todos\":[{\"content\":\"a\",\"status\":\"pending\",\"activeForm\":\"A\"},"
                + "{\"content\":\"b\",\"status\":\"pending\"}]}", "todos[1] is missing activeForm");
        assertError(tool, "{\"todos\":[{\"content\":\" \",\"status\":\"pending\",\"activeForm\":\"A\"}]}",
                "todos[0].content must not be empty");
        assertError(tool, "{\"todos\":[{\"content\":1,\"status\":\"pending\",\"activeForm\":\"A\"}]}",
                "todos[0].content must be a string");
        assertError(tool, "{\"todos\":[\"a\"]}", "todos[0] must be an object with content, status and activeForm");
        assertEquals(3, tool.todos().size());
    }

    private void assertError(TodoWrite tool, String input, String message) {
        ToolResult r = run(tool, ws, input);
        assertTrue(r.isError(), input);
        assertEquals(message, r.text());
    }

    @Test
    void theSchemaIsClaudeCodes() {
        assertEquals("{\"type\":\"object\",\"properties\":{\"todos\":{\"type\":\"array\",\"items\":{\"type\":"
                + "\"object\",\"properties\":{\"content\":{\"type\":\"string\",\"minLength\":1},\"status\":{\"type\":"
                + "\"string\",\"enum\":[\"pending\",\"in_progress\",\"completed\"]},\"activeForm\":{\"type\":"
                + "\"string\",\"minLength\":1}},\"required\":[\"content\",\"status\",\"activeForm\"],"
                + "\"additionalProperties\":false},\"description\":\"The updated todo list\"}},\"required\":"
                + "[\"todos\"],\"additionalProperties\":false}", new TodoWrite(null).inputSchema().toString());
    }
}
