package io.nanoclaw.host.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host without containers or scheduled jobs, its credential proxy in front of two fake model APIs on loopback
 * (Anthropic and OpenAI-compatible), both with a real key configured.
 */
public class HostWithFakeUpstreams implements QuarkusTestProfile {
    public static final String ANTHROPIC_KEY = "sk-ant-test-real-key-0123456789";
    public static final String OPENAI_KEY = "sk-proj-test-real-key-9876543210";
    /** A Messages API stream as the API sends it, usage in message_start and message_delta. */
    public static final String ANTHROPIC_SSE = "event: message_start\n"
            + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
            + "\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2000,\"output_tokens\":1}}}\n\n"
            + "event: content_block_start\n"
            + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
            + "\"text\":\"\"}}\n\n"
            + "event: ping\ndata: {\"type\": \"ping\"}\n\n"
            + "event: content_block_delta\n"
            + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
            + "\"text\":\"Hi\"}}\n\n"
            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            + "event: message_delta\n"
            + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    /** A chat completions stream with stream_options.include_usage: usage null on each chunk, then a usage chunk. */
    public static final String OPENAI_SSE = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000000,\"model\":\"llama3.2\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}],\"usage\":null}\n\n"
            + "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"llama3.2\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":null}\n\n"
            + "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"llama3.2\",\"choices\":[],\"usage\":{\"prompt_tokens\":1200,"
            + "\"completion_tokens\":7,\"total_tokens\":1207,\"prompt_tokens_details\":{\"cached_tokens\":1024}}}\n\n"
            + "data: [DONE]\n\n";

    public static volatile FakeUpstream anthropic;
    public static volatile FakeUpstream openai;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("NANOCLAW_CONTAINERS", "false", "quarkus.scheduler.enabled", "false", "TZ", "UTC");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(RecordingWaker.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Upstreams.class, Map.of("openaiKey", OPENAI_KEY)));
    }

    /** Starts the fakes before the host and points the host's settings at them. */
    public static class Upstreams implements QuarkusTestResourceLifecycleManager {
        private Map<String, String> args = Map.of();

        @Override
        public void init(Map<String, String> initArgs) {
            args = initArgs;
        }

        @Override
        public Map<String, String> start() {
            try {
                anthropic = new FakeUpstream(ANTHROPIC_SSE);
                openai = new FakeUpstream(OPENAI_SSE);
                Map<String, String> cfg = new HashMap<>();
                cfg.put("NANOCLAW_HOME", Files.createTempDirectory("nanoclaw-proxy-").toString());
                cfg.put("ANTHROPIC_BASE_URL", anthropic.baseUrl());
                cfg.put("ANTHROPIC_API_KEY", ANTHROPIC_KEY);
                cfg.put("OPENAI_BASE_URL", openai.baseUrl() + "/v1/");
                if (args.containsKey("openaiKey")) {
                    cfg.put("OPENAI_API_KEY", args.get("openaiKey"));
                }
                return cfg;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            if (anthropic != null) {
                anthropic.close();
            }
            if (openai != null) {
                openai.close();
            }
        }
    }

    /** The same with no OPENAI_API_KEY, as for a local Ollama. */
    public static class WithoutOpenAiKey extends HostWithFakeUpstreams {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Upstreams.class, Map.of()));
        }
    }
}
