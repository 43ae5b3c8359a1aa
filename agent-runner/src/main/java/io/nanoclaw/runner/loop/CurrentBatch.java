package io.nanoclaw.runner.loop;

import java.util.function.Supplier;

/**
 * The first row id of the batch the agent is answering, or null between batches: in-process tools stamp it as
 * {@code in_reply_to} (read from tool threads, hence volatile).
 */
public final class CurrentBatch implements Supplier<String> {
    private volatile String firstId;

    void set(String id) {
        firstId = id;
    }

    void clear() {
        firstId = null;
    }

    @Override
    public String get() {
        return firstId;
    }
}
