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
    public static final String ANTHROPIC_SSE = "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    public static final String OPENAI_SSE = "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
            + "\"finish_reason\":\"stop\"}]}\n\n"
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
