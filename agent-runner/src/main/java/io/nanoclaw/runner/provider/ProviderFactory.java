package io.nanoclaw.runner.provider;

import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.config.RunnerEnvironment;
import io.nanoclaw.runner.provider.anthropic.AnthropicProvider;
import io.nanoclaw.runner.provider.anthropic.AnthropicSettings;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;

/** Picks the provider container.json names. The OpenAI-compatible provider joins here in a later issue. */
public final class ProviderFactory {
    private ProviderFactory() {}

    public static ModelProvider create(RunnerConfig config, RunnerEnvironment env, RetryPolicy retry,
                                       Sleeper sleeper, Runnable onActivity) {
        if (RunnerConfig.ANTHROPIC.equals(config.provider())) {
            AnthropicSettings settings = new AnthropicSettings(env.anthropicBaseUrl(), env.proxyToken(),
                    config.model(), config.maxTokens());
            return new AnthropicProvider(settings, HttpClients.shared(), retry, sleeper, onActivity);
        }
        return new UnsupportedProvider(config.provider());
    }
}
