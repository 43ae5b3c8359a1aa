package io.nanoclaw.runner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

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
        assertTrue(b.path("system").isTextual() && !b.path("system").asText().isBlank(), "system");
        JsonNode messages = b.path("messages");
        assertTrue(messages.isArray() && !messages.isEmpty(), "messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            assertEquals(i % 2 == 0 ? "user" : "assistant", m.path("role").asText(), "roles alternate at " + i);
            JsonNode content = m.path("content");
            assertTrue(content.isArray() && !content.isEmpty(), "content blocks at " + i);
            for (JsonNode block : content) {
                assertEquals("text", block.path("type").asText());
                assertFalse(block.path("text").asText().isEmpty(), "text blocks must be non-empty");
            }
        }
        assertEquals("user", messages.get(messages.size() - 1).path("role").asText(), "ends with a user turn");
    }

    /** The concatenated text of message {@code i}. */
    public static String text(JsonNode message) {
        StringBuilder sb = new StringBuilder();
        message.path("content").forEach(b -> sb.append(b.path("text").asText()));
        return sb.toString();
    }
}
