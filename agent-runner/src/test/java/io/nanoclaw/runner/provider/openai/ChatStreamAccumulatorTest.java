package io.nanoclaw.runner.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.ModelReply;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Stream decoding details that a scripted server rarely shows: interleaved calls, odd servers, bad arguments. */
class ChatStreamAccumulatorTest {
    private static ModelReply decode(String sse) throws Exception {
        return OpenAiProvider.decodeStream(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)), () -> { });
    }

    @Test
    void interleavedToolCallFragmentsAreKeptApartByIndex() throws Exception {
        ModelReply reply = decode("""
                data: {"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"Read","arguments":""}}]},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"Glob","arguments":"{\\"pat"}}]},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"file_path\\":\\"/a\\"}"}}]},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"tern\\":\\"*.md\\"}"}}]},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

                data: [DONE]

                """);
        assertEquals("tool_use", reply.stopReason());
        assertEquals("", reply.text());
        assertEquals(2, reply.content().size(), "no empty text block");
        ObjectNode a = reply.content().get(0);
        assertEquals("call_a", a.get("id").asText());
        assertEquals("Read", a.get("name").asText());
        assertEquals("/a", a.get("input").get("file_path").asText());
        ObjectNode b = reply.content().get(1);
        assertEquals("call_b", b.get("id").asText());
        assertEquals("*.md", b.get("input").get("pattern").asText());
    }

    @Test
    void wholeCallsWithoutIndexAndAStopFinishStillAreToolUse() throws Exception {
        // the shape some local servers send: each call whole in one chunk, no index, finish_reason "stop"
        ModelReply reply = decode("""
                data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"name":"Bash","arguments":"{\\"command\\":\\"ls\\"}"}}]},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_2","function":{"name":"Bash","arguments":"{\\"command\\":\\"pwd\\"}"}}]},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}

                data: [DONE]

                """);
        assertEquals("tool_use", reply.stopReason());
        assertEquals(2, reply.content().size());
        assertEquals("ls", reply.content().get(0).get("input").get("command").asText());
        assertEquals("pwd", reply.content().get(1).get("input").get("command").asText());
    }

    @Test
    void malformedArgumentsGiveAnEmptyInputWithTheMarker() throws Exception {
        ModelReply reply = decode("""
                data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_x","type":"function","function":{"name":"Echo","arguments":"{\\"text\\": \\"unterminated"}}]},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_y","type":"function","function":{"name":"Echo","arguments":"[1,2]"}}]},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":2,"id":"call_z","type":"function","function":{"name":"Echo","arguments":""}}]},"finish_reason":"tool_calls"}]}

                data: [DONE]

                """);
        assertEquals(3, reply.content().size());
        ObjectNode bad = reply.content().get(0);
        assertEquals(Json.object(), bad.get("input"));
        assertEquals("{\"text\": \"unterminated", reply.malformedToolInputs().get("call_x"));
        assertEquals("[1,2]", reply.malformedToolInputs().get("call_y"), "arguments must be a JSON object");
        assertNull(reply.malformedToolInputs().get("call_z"), "no arguments at all is an empty input");
        assertEquals(Json.object(), reply.content().get(2).get("input"));
    }

    @Test
    void finishReasonsInMessagesApiWords() {
        assertEquals("end_turn", ChatStreamAccumulator.stopReason("stop", false));
        assertEquals("tool_use", ChatStreamAccumulator.stopReason("tool_calls", true));
        assertEquals("max_tokens", ChatStreamAccumulator.stopReason("length", false));
        assertEquals("refusal", ChatStreamAccumulator.stopReason("content_filter", false));
        assertEquals("end_turn", ChatStreamAccumulator.stopReason(null, false));
    }

    @Test
    void usageMayComeWithoutCachedTokensAndTheStreamWithoutDone() throws Exception {
        ModelReply reply = decode("""
                data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}

                data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}

                """);
        assertEquals("Hi", reply.text());
        assertEquals("max_tokens", reply.stopReason());
        assertEquals(12, reply.usage().inputTokens());
        assertEquals(3, reply.usage().outputTokens());
        assertEquals(0, reply.usage().cacheReadInputTokens());
    }
}
