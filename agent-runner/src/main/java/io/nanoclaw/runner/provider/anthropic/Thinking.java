package io.nanoclaw.runner.provider.anthropic;

import io.nanoclaw.runner.log.Log;
import java.util.Locale;

/**
 * Extended thinking from the group's {@code effort} (container_configs.effort): a token budget for the model's
 * thinking, and a max_tokens that leaves room for the answer after it (the API wants budget &lt; max_tokens).
 *
 * @param budgetTokens what the model may spend thinking (the API's minimum is 1024)
 */
public record Thinking(int budgetTokens) {
    /** Room kept for the visible answer and tool calls after the thinking. */
    static final int ANSWER_ROOM = 4096;
    /** The output limit of the current Claude models this maps for; a larger request would be refused. */
    static final int MAX_OUTPUT = 64_000;

    /** @return the thinking for this effort, or null for none (no effort, or one this code doesn't know) */
    public static Thinking forEffort(String effort) {
        if (effort == null || effort.isBlank()) {
            return null;
        }
        int budget = switch (effort.trim().toLowerCase(Locale.ROOT)) {
            case "low" -> 2_048;
            case "medium" -> 8_192;
            case "high" -> 16_384;
            case "xhigh" -> 32_768;
            case "max" -> MAX_OUTPUT - ANSWER_ROOM;
            default -> -1;
        };
        if (budget < 0) {
            Log.warn("anthropic", "unknown effort \"" + effort + "\" (low, medium, high, xhigh, max): no extended "
                    + "thinking");
            return null;
        }
        return new Thinking(budget);
    }

    /** max_tokens for a call with this thinking: the configured answer size on top of the budget, within limits. */
    public int maxTokens(int configured) {
        return Math.min(MAX_OUTPUT, budgetTokens + Math.max(configured, ANSWER_ROOM));
    }
}
