package io.nanoclaw.host.routing;

import io.nanoclaw.host.entities.Session;
import java.util.Optional;

/** Starts a session's agent when there is work for it (the container runner in production). */
public interface SessionWaker {
    /** True when the agent runs (already or now); false when it could not start. Never throws. */
    boolean wake(Session s);

    /** Whether the session's agent runs now (fast delivery polling is only worth it then). */
    boolean isRunning(String sessionId);

    /** Why the last start of this session failed, fit for the user. */
    Optional<String> lastFailure(String sessionId);
}
