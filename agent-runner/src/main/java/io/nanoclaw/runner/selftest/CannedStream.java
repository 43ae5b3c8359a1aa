package io.nanoclaw.runner.selftest;

/** A Messages API event stream as the real API sends it, for the self-test. */
final class CannedStream {
    static final String REPLY = "Self-test reply.";

    static final String SSE = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_selftest","type":"message","role":"assistant",\
            "content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,\
            "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,\
            "output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"<internal>check</internal><message to=\\"cli\\">Self-test"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" reply.</message>"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},\
            "usage":{"output_tokens":6}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private CannedStream() {}
}
