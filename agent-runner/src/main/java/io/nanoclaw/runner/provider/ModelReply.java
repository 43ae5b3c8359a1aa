package io.nanoclaw.runner.provider;

/**
 * @param text the final assistant message's text blocks, concatenated
 * @param stopReason as the API reports it (end_turn, max_tokens, stop_sequence, refusal, ...)
 */
public record ModelReply(String text, String stopReason, TokenUsage usage) {
}
