package io.nanoclaw.runner.agent;

import io.nanoclaw.runner.provider.TokenUsage;

/** Token counts summed over the model calls of the current conversation in this container, for /cost. */
public final class UsageTotals {
    private long calls;
    private long input;
    private long output;
    private long cacheRead;
    private long cacheWrite;

    synchronized void add(TokenUsage u) {
        if (u == null) {
            return;
        }
        calls++;
        input += u.inputTokens();
        output += u.outputTokens();
        cacheRead += u.cacheReadInputTokens();
        cacheWrite += u.cacheCreationInputTokens();
    }

    synchronized void reset() {
        calls = input = output = cacheRead = cacheWrite = 0;
    }

    public synchronized String describe() {
        return String.format(java.util.Locale.ROOT, "%d model call(s): %,d input, %,d output, %,d cache read, "
                + "%,d cache write tokens", calls, input, output, cacheRead, cacheWrite);
    }
}
