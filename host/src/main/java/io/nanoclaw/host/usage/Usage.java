package io.nanoclaw.host.usage;

/**
 * The tokens one model call used, as the API reported them. {@code inputTokens} excludes cached tokens on both
 * APIs (Anthropic reports it that way; for OpenAI we subtract the cached part), so the four counts never overlap
 * and each is priced at its own rate.
 *
 * @param model the model id the API answered with; null when the answer did not say
 */
public record Usage(String model, long inputTokens, long outputTokens, long cacheReadTokens,
                    long cacheCreationTokens) {}
