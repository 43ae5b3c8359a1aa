package io.nanoclaw.runner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the real Messages API would insist on, checked on every request the runner sends. */
public final class RequestAssertions {
    private RequestAssertions() {}

    public static void assertWellFormed(FakeAnthropicServer.Recorded r) {
        assertEquals("POST", r.method());
        assertEquals("/v1/messages", r.path());
        assertEquals(SessionFixture.TOKEN, r.headers().get("x-api-key"));
        assertEquals("2023-06-01", r.headers().get("anthropic-version"));
        assertEquals("application/json", r.headers().get("content-type"));
        assertEquals("text/event-stream", r.headers().get("accept"));
        JsonNode b = r.body();
        assertTrue(b.path("model").isTextual() && !b.path("model").asText().isBlank(), "model");
        assertTrue(b.path("max_tokens").isInt() && b.path("max_tokens").asInt() > 0, "max_tokens");
        assertTrue(b.path("stream").isBoolean() && b.path("stream").booleanValue(), "stream:true");
        assertFalse(system(b).isBlank(), "system");
        if (b.has("tools")) {
            assertTrue(b.get("tools").isArray() && !b.get("tools").isEmpty(), "tools, when present, are non-empty");
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode t : b.get("tools")) {
                String name = t.path("name").asText();
                // the Messages API's rule for client tool names; duplicates are rejected too
                assertTrue(name.matches("[a-zA-Z0-9_-]{1,64}"), "tool name " + name);
                assertTrue(names.add(name), "duplicate tool " + name);
                assertTrue(t.path("description").isTextual() && !t.path("description").asText().isBlank(),
                        "description of " + name);
                JsonNode schema = t.path("input_schema");
                assertEquals("object", schema.path("type").asText(), "input_schema of " + name + " is an object");
                if (schema.has("required")) {
                    for (JsonNode req : schema.get("required")) {
                        assertTrue(schema.path("properties").has(req.asText()),
                                name + ": required " + req + " is a property");
                    }
                }
            }
        }
        JsonNode messages = b.path("messages");
        assertTrue(messages.isArray() && !messages.isEmpty(), "messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            assertEquals(i % 2 == 0 ? "user" : "assistant", m.path("role").asText(), "roles alternate at " + i);
            JsonNode content = m.path("content");
            assertTrue(content.isArray() && !content.isEmpty(), "content blocks at " + i);
            for (JsonNode block : content) {
                if ("text".equals(block.path("type").asText())) {
                    assertFalse(block.path("text").asText().isEmpty(), "text blocks must be non-empty");
                }
            }
            // every tool_use is answered by a tool_result, first in the next user turn
            List<String> uses = ids(content, "tool_use", "id");
            if (!uses.isEmpty() && i + 1 < messages.size()) {
                JsonNode next = messages.get(i + 1).path("content");
                assertEquals(uses, ids(next, "tool_result", "tool_use_id"), "tool_results answer the tool_uses at " + i);
                for (int k = 0; k < uses.size(); k++) {
                    assertEquals("tool_result", next.get(k).path("type").asText(), "tool_results come first");
                }
            }
            if ("user".equals(m.path("role").asText()) && i > 0) {
                Set<String> prev = new LinkedHashSet<>(ids(messages.get(i - 1).path("content"), "tool_use", "id"));
                for (String id : ids(content, "tool_result", "tool_use_id")) {
                    assertTrue(prev.contains(id), "tool_result " + id + " answers a tool_use of the turn before");
                }
            }
        }
        assertTrue(cacheBreakpoints(b) <= 4, "at most 4 cache_control breakpoints");
        if (b.has("thinking")) {
            // the API's rules for extended thinking
            int budget = b.at("/thinking/budget_tokens").asInt();
            assertEquals("enabled", b.at("/thinking/type").asText());
            assertTrue(budget >= 1024 && budget < b.path("max_tokens").asInt(), "1024 <= budget_tokens < max_tokens");
        }
    }

    /** The system prompt's text, whether sent as a string or as text blocks. */
    public static String system(JsonNode body) {
        JsonNode s = body.path("system");
        if (s.isTextual()) {
            return s.asText();
        }
        StringBuilder sb = new StringBuilder();
        s.forEach(block -> sb.append(block.path("text").asText()));
        return sb.toString();
    }

    /** How many cache_control markers the body carries anywhere. */
    public static int cacheBreakpoints(JsonNode node) {
        int n = 0;
        if (node.isObject()) {
            if (node.has("cache_control")) {
                n++;
            }
            for (JsonNode v : node) {
                n += cacheBreakpoints(v);
            }
        } else if (node.isArray()) {
            for (JsonNode v : node) {
                n += cacheBreakpoints(v);
            }
        }
        return n;
    }

    private static List<String> ids(JsonNode content, String type, String field) {
        List<String> out = new ArrayList<>();
        content.forEach(block -> {
            if (type.equals(block.path("type").asText())) {
                out.add(block.path(field).asText());
            }
        });
        return out;
    }

    /** The concatenated text of message {@code i}. */
    public static String text(JsonNode message) {
        StringBuilder sb = new StringBuilder();
        message.path("content").forEach(b -> sb.append(b.path("text").asText()));
        return sb.toString();
    }
}
