package io.nanoclaw.runner.provider;

import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.config.RunnerEnvironment;
import io.nanoclaw.runner.provider.anthropic.AnthropicProvider;
import io.nanoclaw.runner.provider.anthropic.AnthropicSettings;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import io.nanoclaw.runner.provider.anthropic.Thinking;
import io.nanoclaw.runner.provider.openai.OpenAiProvider;
import io.nanoclaw.runner.provider.openai.OpenAiSettings;

/** Picks the provider container.json names (aliases are already mapped by the config loader). */
public final class ProviderFactory {
    private ProviderFactory() {}

    public static ModelProvider create(RunnerConfig config, RunnerEnvironment env, RetryPolicy retry,
                                       Sleeper sleeper, Runnable onActivity) {
        if (RunnerConfig.ANTHROPIC.equals(config.provider())) {
            AnthropicSettings settings = new AnthropicSettings(env.anthropicBaseUrl(), env.proxyToken(),
                    config.model(), config.maxTokens(), Thinking.forEffort(config.effort()));
            return new AnthropicProvider(settings, HttpClients.shared(), retry, sleeper, onActivity);
        }
        if (RunnerConfig.OPENAI.equals(config.provider())) {
            OpenAiSettings settings = new OpenAiSettings(env.openaiBaseUrl(), env.proxyToken(), config.model(),
                    config.maxTokens());
            return new OpenAiProvider(settings, HttpClients.shared(), retry, sleeper, onActivity);
        }
        return new UnsupportedProvider(config.provider());
    }
}
