package io.nanoclaw.host.delivery;

import io.nanoclaw.host.entities.Session;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The fast half of adaptive delivery. While a session has work in flight (a message was written for its agent and
 * the reply is not out yet), its outbound.db is polled every {@value #FAST_POLL_MS} ms; a poll that finds no new
 * data costs one {@code PRAGMA data_version}. When nothing is in flight the timer is cancelled, so an idle host
 * spends no CPU here; the 1 s {@link DeliveryJob} and the sweep cover everything else.
 *
 * <p>Why not Quarkus Scheduler for this: its simple scheduler checks triggers once a second, too coarse for a
 * sub-second reply path.
 */
@Singleton
public class ActiveSessions {
    private static final Logger LOG = Logger.getLogger(ActiveSessions.class);
    static final long FAST_POLL_MS = 20;
    /** A session stays on the fast path at most this long without its work finishing. */
    static final long MAX_IN_FLIGHT_MS = 15 * 60_000L;

    @Inject
    DeliveryService delivery;
    @Inject
    OutboundReader reader;
    @Inject
    io.nanoclaw.host.routing.SessionWaker agents;

    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "delivery-fast");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> task;

    private record InFlight(Session session, long since) {}

    public void markInFlight(Session s) {
        inFlight.put(s.id(), new InFlight(s, System.currentTimeMillis()));
        synchronized (this) {
            if (task == null) {
                task = timer.scheduleWithFixedDelay(this::poll, FAST_POLL_MS, FAST_POLL_MS, TimeUnit.MILLISECONDS);
            }
        }
    }

    public boolean isInFlight(String sessionId) {
        return inFlight.containsKey(sessionId);
    }

    void poll() {
        long now = System.currentTimeMillis();
        for (InFlight f : inFlight.values()) {
            try {
                boolean changed = delivery.drain(f.session());
                boolean done = changed && reader.owed(f.session()) == 0;
                // No running agent means no reply is coming soon: the sweep re-wakes and the 1 s job delivers.
                if (done || !agents.isRunning(f.session().id()) || now - f.since() > MAX_IN_FLIGHT_MS) {
                    inFlight.remove(f.session().id(), f);
                }
            } catch (RuntimeException e) {
                LOG.debugf("fast delivery poll of %s: %s", f.session().id(), e.getMessage());
            }
        }
        synchronized (this) {
            if (inFlight.isEmpty() && task != null) {
                task.cancel(false);
                task = null;
            }
        }
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
    }
}
