package io.nanoclaw.host.testkit;

import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.routing.SessionWaker;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records which sessions the router woke; can be told to fail, as a missing image would. An alternative without a
 * priority: only the profiles that list it (HostWithoutContainers) use it; the container tests get the real runner.
 */
@Alternative
@Singleton
public class RecordingWaker implements SessionWaker {
    public final List<String> woken = new CopyOnWriteArrayList<>();
    public volatile String failWith;
    /** When set, wakes report the session as queued this many behind (as at MAX_CONCURRENT_CONTAINERS). */
    public volatile Integer queuedAhead;

    @Override
    public boolean wake(Session s) {
        return wakeOrQueue(s).running();
    }

    private final java.util.Set<String> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public Wake wakeOrQueue(Session s) {
        woken.add(s.id());
        if (queuedAhead != null) {
            return Wake.queued(queuedAhead, queued.add(s.id()));
        }
        return failWith == null ? Wake.RUNNING : Wake.failed(failWith);
    }

    /** Nothing really runs: sessions never stay on the fast delivery path in these tests. */
    @Override
    public boolean isRunning(String sessionId) {
        return false;
    }

    @Override
    public Optional<String> lastFailure(String sessionId) {
        return Optional.ofNullable(failWith);
    }
}
