package io.nanoclaw.runner.provider;

/** Token counts of one call; the compaction trigger (a later issue) sums input and both cache counts. */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadInputTokens,
                         long cacheCreationInputTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);
}
