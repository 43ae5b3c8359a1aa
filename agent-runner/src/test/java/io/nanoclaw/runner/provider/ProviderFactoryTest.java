package io.nanoclaw.runner.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.config.ConfigLoader;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.config.RunnerEnvironment;
import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.provider.anthropic.AnthropicProvider;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import io.nanoclaw.runner.provider.openai.OpenAiProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderFactoryTest {
    private static final RunnerEnvironment ENV = RunnerEnvironment.from(Map.of(
            "ANTHROPIC_BASE_URL", "http://proxy:3001", "OPENAI_BASE_URL", "http://proxy:3001/openai/v1"));

    private static RunnerConfig config(String provider, String model) {
        var json = Json.object().put("provider", provider);
        if (model != null) {
            json.put("model", model);
        }
        return ConfigLoader.fromJson(json);
    }

    private static ModelProvider create(RunnerConfig c) {
        return ProviderFactory.create(c, ENV, RetryPolicy.standard(), Sleeper.REAL, () -> { });
    }

    @Test
    void ollamaAndTheOtherServersAreTheOpenAiProvider() {
        for (String name : List.of("openai", "OpenAI", "openai-compatible", "ollama", "llamacpp", "vllm",
                "openrouter")) {
            RunnerConfig c = config(name, "llama3.2:3b");
            assertEquals("openai", c.provider(), name);
            assertEquals("llama3.2:3b", c.model(), "the model is used as is, not alias-mapped");
            ModelProvider p = create(c);
            assertInstanceOf(OpenAiProvider.class, p, name);
            assertEquals("openai", p.name(), "its own continuation slot");
        }
    }

    @Test
    void claudeAliasesStayWithTheAnthropicProvider() {
        RunnerConfig c = config("claude", "sonnet");
        assertEquals("claude-sonnet-4-5", c.model());
        assertInstanceOf(AnthropicProvider.class, create(c));
        assertEquals("sonnet", config("ollama", "sonnet").model(), "no claude aliases for other servers");
    }

    @Test
    void anOpenAiGroupWithoutAModelFailsClearly() {
        RunnerConfig c = config("ollama", " ");
        assertNull(c.model());
        ProviderException e = assertThrows(ProviderException.class,
                () -> create(c).complete(new ModelRequest("s", List.of(Turns.user("hi")))));
        assertTrue(e.getMessage().contains("container_configs.model must be set"), e.getMessage());
    }

    @Test
    void unknownProvidersAnswerWithAnError() {
        ModelProvider p = create(config("gemini", "x"));
        assertInstanceOf(UnsupportedProvider.class, p);
        ProviderException e = assertThrows(ProviderException.class,
                () -> p.complete(new ModelRequest("s", List.of(Turns.user("hi")))));
        assertTrue(e.getMessage().contains("supported: anthropic, openai"), e.getMessage());
    }
}
