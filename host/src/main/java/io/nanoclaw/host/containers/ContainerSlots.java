package io.nanoclaw.host.containers;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.entities.Session;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The cap on concurrent containers (MAX_CONCURRENT_CONTAINERS) and the fair queue behind it.
 *
 * <p>A slot belongs to a session, not to a thread: it is taken when the session's container is about to start and
 * given back when that container exits (or could not start). A wake beyond the cap takes a place in a FIFO queue,
 * one place per session (a second wake of a queued session keeps the first one's place). When a slot frees, the
 * head of the queue gets it at once, under the same lock, so no later wake can overtake it; the start itself runs
 * on a queue thread through the starter, which may still decide the session no longer needs a container and hand
 * the slot back.
 */
@Singleton
public class ContainerSlots {
    private static final Logger LOG = Logger.getLogger(ContainerSlots.class);

    /** What a request for a slot got. */
    public enum Kind {
        /** The slot is now the session's: start its container. */
        GRANTED,
        /** The session held a slot already (its container runs, or a queued start handed it one). */
        HELD,
        /** Every slot is busy: the session waits in the queue. */
        QUEUED
    }

    /**
     * @param ahead        sessions queued before this one (QUEUED only)
     * @param newlyQueued  this request created the queue entry (later wakes of the session join it)
     */
    public record Grant(Kind kind, int ahead, boolean newlyQueued) {
        static final Grant GRANTED = new Grant(Kind.GRANTED, 0, false);
        static final Grant HELD = new Grant(Kind.HELD, 0, false);
    }

    private final int cap;
    private final ExecutorService starts;
    private final Set<String> holders = new HashSet<>();
    private final LinkedHashMap<String, Queued> queue = new LinkedHashMap<>();
    private volatile Consumer<Session> starter = s -> { };
    private boolean closed;

    private record Queued(Session session, long since) {}

    @Inject
    public ContainerSlots(HostConfig config) {
        this(config.maxConcurrentContainers(), Executors.newCachedThreadPool(named()));
    }

    ContainerSlots(int cap, ExecutorService starts) {
        if (cap < 1) {
            throw new IllegalArgumentException("MAX_CONCURRENT_CONTAINERS must be at least 1");
        }
        this.cap = cap;
        this.starts = starts;
    }

    /** Who starts a session that reached the head of the queue; it owns the slot it is handed. */
    void onTurn(Consumer<Session> starter) {
        this.starter = starter;
    }

    public int cap() {
        return cap;
    }

    /** Asks for a slot for the session: granted, already held, or queued behind the sessions ahead of it. */
    public synchronized Grant request(Session s) {
        if (holders.contains(s.id())) {
            return Grant.HELD;
        }
        int ahead = indexOf(s.id());
        if (ahead >= 0) {
            LOG.debugf("session %s: still queued for a container slot: %d ahead", s.id(), ahead);
            return new Grant(Kind.QUEUED, ahead, false);
        }
        if (holders.size() < cap && queue.isEmpty()) {
            holders.add(s.id());
            return Grant.GRANTED;
        }
        ahead = queue.size();
        queue.put(s.id(), new Queued(s, System.currentTimeMillis()));
        LOG.infof("session %s: every container slot is busy (MAX_CONCURRENT_CONTAINERS=%d), queued: %d ahead",
                s.id(), cap, ahead);
        return new Grant(Kind.QUEUED, ahead, true);
    }

    /** Gives the session's slot back (its container exited or could not start) and starts the next in line. */
    public void release(String sessionId) {
        List<Queued> next = new ArrayList<>();
        synchronized (this) {
            if (!holders.remove(sessionId)) {
                return;
            }
            while (!closed && holders.size() < cap && !queue.isEmpty()) {
                Iterator<Map.Entry<String, Queued>> it = queue.entrySet().iterator();
                Queued q = it.next().getValue();
                it.remove();
                holders.add(q.session().id());
                next.add(q);
            }
        }
        for (Queued q : next) {
            LOG.infof("session %s: a container slot is free after %d s in the queue, starting", q.session().id(),
                    (System.currentTimeMillis() - q.since()) / 1000);
            try {
                starts.execute(() -> turn(q.session()));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                release(q.session().id()); // shutting down: nothing will start it
            }
        }
    }

    private void turn(Session s) {
        try {
            starter.accept(s);
        } catch (RuntimeException e) {
            // A starter must hand the slot back itself; this is only the last line against a leaked slot.
            LOG.errorf(e, "session %s: starting a queued container failed", s.id());
            release(s.id());
        }
    }

    public synchronized boolean isQueued(String sessionId) {
        return queue.containsKey(sessionId);
    }

    /** Sessions queued before this one, or -1 when it is not queued. */
    public synchronized int ahead(String sessionId) {
        return indexOf(sessionId);
    }

    /** Takes a session out of the queue (it no longer needs a container); true when it was queued. */
    public synchronized boolean drop(String sessionId) {
        return queue.remove(sessionId) != null;
    }

    public synchronized int inUse() {
        return holders.size();
    }

    public synchronized List<String> queued() {
        return List.copyOf(queue.keySet());
    }

    private int indexOf(String sessionId) {
        int i = 0;
        for (String id : queue.keySet()) {
            if (id.equals(sessionId)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * Shutdown: the queue is dropped and freed slots start nothing, so the exits of the containers being stopped
     * don't start queued ones. Queued messages stay pending in their inbound.db for the next start's sweep.
     */
    public synchronized void close() {
        closed = true;
        queue.clear();
    }

    @PreDestroy
    void shutdown() {
        close();
        starts.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory named() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "container-queue-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
