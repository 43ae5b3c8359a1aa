package io.nanoclaw.runner.agent;

import java.util.Map;

/**
 * When to compact (agent-runner.md 1.9, 8.5): once a request's context (input plus both cache counts) passes the
 * window. The original's setting name is kept so the host can pass the same variable.
 *
 * @param window tokens of context that trigger compaction
 */
public record CompactionSettings(long window) {
    public static final String ENV = "CLAUDE_CODE_AUTO_COMPACT_WINDOW";
    public static final long DEFAULT_WINDOW = 165_000;
    /** Below this a summary would cost more than it saves, and a typo like "1000" would compact every turn. */
    static final long MIN_WINDOW = 10_000;

    public static CompactionSettings fromEnv(Map<String, String> env) {
        String raw = env.get(ENV);
        if (raw == null || raw.isBlank()) {
            return new CompactionSettings(DEFAULT_WINDOW);
        }
        try {
            long w = Long.parseLong(raw.trim());
            return new CompactionSettings(Math.max(w, MIN_WINDOW));
        } catch (NumberFormatException e) {
            return new CompactionSettings(DEFAULT_WINDOW);
        }
    }
}
