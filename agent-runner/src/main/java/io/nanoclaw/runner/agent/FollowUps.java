package io.nanoclaw.runner.agent;

import java.util.Optional;

/**
 * Messages that arrived while a turn is running (agent-runner.md 1.6). The tool loop asks between model calls;
 * what it gets goes into the next request after the tool results, so a warm agent sees "also, ..." without
 * waiting for its current task to end.
 */
@FunctionalInterface
public interface FollowUps {
    /** The formatted new messages, claimed for this turn, or empty when there are none. */
    Optional<String> poll();

    FollowUps NONE = Optional::empty;
}
