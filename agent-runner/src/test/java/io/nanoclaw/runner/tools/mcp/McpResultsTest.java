package io.nanoclaw.runner.tools.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.tools.ToolResult;
import org.junit.jupiter.api.Test;

class McpResultsTest {
    private static ToolResult map(String json) throws Exception {
        return McpResults.toToolResult(Json.parse(json));
    }

    @Test
    void textBlocksJoinAndIsErrorIsKept() throws Exception {
        ToolResult r = map("{\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}");
        assertEquals("a\nb", r.text());
        assertFalse(r.isError());
        assertNull(r.blocks());
        ToolResult e = map("{\"content\":[{\"type\":\"text\",\"text\":\"bad\"}],\"isError\":true}");
        assertTrue(e.isError());
        assertEquals("bad", e.text());
    }

    @Test
    void otherContentIsNamedAndStructuredContentIsAFallback() throws Exception {
        ToolResult r = map("{\"content\":[{\"type\":\"audio\",\"data\":\"x\",\"mimeType\":\"audio/wav\"},"
                + "{\"type\":\"resource\",\"resource\":{\"uri\":\"file:///a.txt\",\"text\":\"hi\"}},"
                + "{\"type\":\"resource_link\",\"uri\":\"file:///b\",\"name\":\"b\"},"
                + "{\"type\":\"image\",\"data\":\"x\",\"mimeType\":\"image/tiff\"}]}");
        assertEquals("[audio (audio/wav) was left out: it cannot be shown here]\n[resource file:///a.txt]\nhi\n"
                + "[resource link: b file:///b]\n[an image of type image/tiff was left out: only PNG, JPEG, GIF and"
                + " WebP can be shown]", r.text());
        assertEquals("{\"n\":1}", map("{\"content\":[],\"structuredContent\":{\"n\":1}}").text());
        assertEquals("(the tool returned no content)", map("{\"content\":[]}").text());
        assertTrue(map("[1]").isError());
    }
}
