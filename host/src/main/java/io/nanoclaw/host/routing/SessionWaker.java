package io.nanoclaw.host.routing;

import io.nanoclaw.host.entities.Session;
import java.util.Optional;

/** Starts a session's agent when there is work for it (the container runner in production). */
public interface SessionWaker {
    /**
     * True when the agent runs (already or now); false when it could not start or when it waits for a free slot
     * (MAX_CONCURRENT_CONTAINERS). Never throws, and never waits for a slot: a queued session is started later.
     */
    boolean wake(Session s);

    /** Whether the session's agent runs now (fast delivery polling is only worth it then). */
    boolean isRunning(String sessionId);

    /** Why the last start of this session failed, fit for the user. */
    Optional<String> lastFailure(String sessionId);

    /** A wake with its outcome, for callers that tell the user what happens to their message. */
    default Wake wakeOrQueue(Session s) {
        return wake(s) ? Wake.RUNNING : Wake.failed(lastFailure(s.id()).orElse("unknown error"));
    }

    /**
     * The outcome of a wake.
     *
     * @param ahead       sessions queued before this one (QUEUED only)
     * @param newlyQueued this wake put the session in the queue; later wakes of it join the same place
     * @param failure     why the start failed (FAILED only), fit for the user
     */
    record Wake(Outcome outcome, int ahead, boolean newlyQueued, String failure) {
        public static final Wake RUNNING = new Wake(Outcome.RUNNING, 0, false, null);

        public static Wake queued(int ahead, boolean newlyQueued) {
            return new Wake(Outcome.QUEUED, ahead, newlyQueued, null);
        }

        public static Wake failed(String why) {
            return new Wake(Outcome.FAILED, 0, false, why);
        }

        public boolean running() {
            return outcome == Outcome.RUNNING;
        }

        public boolean queued() {
            return outcome == Outcome.QUEUED;
        }
    }

    enum Outcome { RUNNING, QUEUED, FAILED }
}
