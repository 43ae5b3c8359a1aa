package io.nanoclaw.host.typing;

import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionFolders;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * "typing…" while an agent works (host.md 6.9). After a wake the chat shows typing every 4 s: always for a 15 s
 * grace (the container is still starting and has no heartbeat yet), then only while the session's heartbeat is
 * fresh, so a container that went quiet stops looking busy. A delivered reply pauses it for 10 s (typing right after
 * the answer would look like a second answer coming); the container's exit stops it.
 *
 * <p>One daemon thread serves every session, and each typing session is one periodic task on it: with nothing
 * typing there is nothing scheduled, and the idle thread itself times out.
 */
@Singleton
public class TypingIndicators {
    private static final Logger LOG = Logger.getLogger(TypingIndicators.class);
    static final Duration REFRESH = Duration.ofSeconds(4);
    static final Duration GRACE = Duration.ofSeconds(15);
    static final Duration HEARTBEAT_FRESH = Duration.ofSeconds(6);
    static final Duration PAUSE_AFTER_DELIVERY = Duration.ofSeconds(10);

    private final Function<String, Optional<ChannelAdapter>> adapters;
    private final BiFunction<String, String, Path> heartbeats;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Typing> typing = new ConcurrentHashMap<>();

    @Inject
    public TypingIndicators(ChannelRegistry channels, SessionFolders folders) {
        this(channels::get, folders::heartbeat, Clock.systemUTC(), newScheduler());
    }

    /**
     * For tests: adapters by channel type, the heartbeat file by (agent group, session), and the time source and
     * scheduler, so time can be driven by hand.
     */
    TypingIndicators(Function<String, Optional<ChannelAdapter>> adapters, BiFunction<String, String, Path> heartbeats,
                     Clock clock, ScheduledExecutorService scheduler) {
        this.adapters = adapters;
        this.heartbeats = heartbeats;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "typing");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true); // a stopped session leaves nothing queued
        ex.setKeepAliveTime(30, TimeUnit.SECONDS);
        ex.allowCoreThreadTimeOut(true); // no thread at all while nothing types
        return ex;
    }

    private final class Typing implements Runnable {
        final Session session;
        final String channelType;
        final String platformId;
        final String threadId;
        final Instant started;
        volatile Instant pausedUntil;
        ScheduledFuture<?> future;

        Typing(Session session, String channelType, String platformId, String threadId, Instant started) {
            this.session = session;
            this.channelType = channelType;
            this.platformId = platformId;
            this.threadId = threadId;
            this.started = started;
        }

        @Override
        public void run() {
            tick(this);
        }
    }

    /**
     * Starts (or restarts, with a fresh grace) typing for a session that was just woken, on the address the message
     * came from. The first call happens at once.
     */
    public synchronized void start(Session session, String channelType, String platformId, String threadId) {
        Typing t = new Typing(session, channelType, platformId, threadId, clock.instant());
        Typing old = typing.put(session.id(), t);
        if (old != null) {
            old.future.cancel(false);
        }
        // Fixed delay, not fixed rate: a slow adapter call must not be followed by a burst of catch-up calls.
        t.future = scheduler.scheduleWithFixedDelay(t, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A user-visible reply went out: no typing for the next 10 s. */
    public void pauseAfterDelivery(String sessionId) {
        Typing t = typing.get(sessionId);
        if (t != null) {
            t.pausedUntil = clock.instant().plus(PAUSE_AFTER_DELIVERY);
        }
    }

    /** The container exited (or the wake failed): no more typing for this session. */
    public synchronized void stop(String sessionId) {
        Typing t = typing.remove(sessionId);
        if (t != null) {
            t.future.cancel(false);
        }
    }

    public boolean isTyping(String sessionId) {
        return typing.containsKey(sessionId);
    }

    private void tick(Typing t) {
        try {
            Instant now = clock.instant();
            if (t.pausedUntil != null && now.isBefore(t.pausedUntil)) {
                return;
            }
            if (!now.isBefore(t.started.plus(GRACE)) && !heartbeatFresh(t.session, now)) {
                return; // not stopped: the heartbeat may come back, e.g. after a long model call
            }
            Optional<ChannelAdapter> adapter = adapters.apply(t.channelType);
            if (adapter.isPresent()) {
                adapter.get().setTyping(t.platformId, t.threadId);
            }
        } catch (RuntimeException e) {
            // Cosmetic, and an exception escaping here would cancel this session's periodic task for good.
            LOG.debugf("typing for session %s on %s: %s", t.session.id(), t.channelType, e.toString());
        }
    }

    private boolean heartbeatFresh(Session s, Instant now) {
        try {
            Instant mtime = Files.getLastModifiedTime(heartbeats.apply(s.agentGroupId(), s.id())).toInstant();
            return Duration.between(mtime, now).compareTo(HEARTBEAT_FRESH) < 0;
        } catch (IOException e) {
            return false; // no heartbeat yet (or unreadable): not fresh
        }
    }

    @PreDestroy
    void shutdown() {
        scheduler.shutdownNow();
    }
}
