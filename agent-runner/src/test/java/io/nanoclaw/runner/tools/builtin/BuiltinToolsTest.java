package io.nanoclaw.runner.tools.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nanoclaw.runner.tools.Tool;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinToolsTest {
    @Test
    void fixedOrderClaudeCodeNamesAndByteStableSchemas() {
        List<Tool> tools = BuiltinTools.all();
        assertEquals(List.of("Bash", "Read", "Write", "Edit", "Glob", "Grep", "WebFetch", "Skill", "TodoWrite"),
                tools.stream().map(Tool::name).toList());
        assertEquals(List.of(false, true, false, false, true, true, true, true, false),
                tools.stream().map(Tool::readOnly).toList());
        for (int i = 0; i < tools.size(); i++) {
            Tool again = BuiltinTools.all().get(i);
            assertEquals(tools.get(i).inputSchema().toString(), again.inputSchema().toString());
            assertEquals(tools.get(i).description(), again.description());
        }
        // A caller mutating a schema must not change the next one.
        tools.get(1).inputSchema().put("x", 1);
        assertEquals(BuiltinTools.all().get(1).inputSchema().toString(), tools.get(1).inputSchema().toString());
        assertEquals("{\"type\":\"object\",\"properties\":{\"file_path\":{\"type\":\"string\",\"description\":"
                + "\"The absolute path to the file to modify\"},\"old_string\":{\"type\":\"string\",\"description\":"
                + "\"The text to replace\"},\"new_string\":{\"type\":\"string\",\"description\":\"The text to replace"
                + " it with (must be different from old_string)\"},\"replace_all\":{\"type\":\"boolean\","
                + "\"description\":\"Replace all occurences of old_string (default false)\"}},\"required\":"
                + "[\"file_path\",\"old_string\",\"new_string\"],\"additionalProperties\":false}",
                tools.get(3).inputSchema().toString());
        assertEquals("{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\",\"format\":\"uri\","
                + "\"description\":\"The URL to fetch content from\"},\"prompt\":{\"type\":\"string\",\"description\":"
                + "\"The prompt to run on the fetched content\"}},\"required\":[\"url\",\"prompt\"],"
                + "\"additionalProperties\":false}", tools.get(6).inputSchema().toString());
        assertEquals("{\"type\":\"object\",\"properties\":{\"skill\":{\"type\":\"string\",\"description\":"
                + "\"The skill name. E.g., \\\"commit\\\", \\\"review-pr\\\", or \\\"pdf\\\"\"},\"args\":{\"type\":"
                + "\"string\",\"description\":\"Optional arguments for the skill\"}},\"required\":[\"skill\"],"
                + "\"additionalProperties\":false}", tools.get(7).inputSchema().toString());
    }
}
