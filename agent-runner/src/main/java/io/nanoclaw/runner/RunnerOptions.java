package io.nanoclaw.runner;

import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.Sleeper;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;

/**
 * What tests and the self-test swap out.
 *
 * @param provider a ready provider to use instead of the one container.json names; null for the normal choice
 */
public record RunnerOptions(RetryPolicy retry, Sleeper sleeper, ModelProvider provider) {

    public static RunnerOptions defaults() {
        return new RunnerOptions(RetryPolicy.standard(), Sleeper.REAL, null);
    }
}
