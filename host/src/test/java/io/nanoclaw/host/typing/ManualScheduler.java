package io.nanoclaw.host.typing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler and clock driven by hand: {@link #advance} moves time and runs what falls due, in order, on the
 * calling thread. Like a real ScheduledThreadPoolExecutor, a periodic task that throws is never run again, so a
 * test sees it if exceptions escape.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private Instant now;
    private final List<Task> tasks = new ArrayList<>();
    private boolean shutdown;

    ManualScheduler(Instant start) {
        this.now = start;
    }

    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            synchronized (ManualScheduler.this) {
                return now;
            }
        }
    };

    synchronized Instant now() {
        return now;
    }

    /** Tasks still scheduled (periodic ones until cancelled). */
    synchronized int pending() {
        return tasks.size();
    }

    /** Moves time forward by d, running each task at its due time. */
    void advance(Duration d) {
        Instant end;
        synchronized (this) {
            end = now.plus(d);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.due.isAfter(end)).min(Comparator.comparing(t -> t.due))
                        .orElse(null);
                if (next == null) {
                    now = end;
                    return;
                }
                now = next.due;
            }
            next.runOnce();
        }
    }

    private final class Task implements ScheduledFuture<Object> {
        final Runnable body;
        final Duration period;
        Instant due;
        volatile boolean cancelled;
        volatile boolean done;

        Task(Runnable body, Instant due, Duration period) {
            this.body = body;
            this.due = due;
            this.period = period;
        }

        void runOnce() {
            try {
                body.run();
            } catch (RuntimeException e) {
                synchronized (ManualScheduler.this) {
                    tasks.remove(this);
                }
                done = true;
                return;
            }
            synchronized (ManualScheduler.this) {
                if (period == null || cancelled) {
                    tasks.remove(this);
                    done = true;
                } else {
                    due = now.plus(period); // fixed delay; time doesn't pass while a task runs here
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            synchronized (ManualScheduler.this) {
                cancelled = true;
                return tasks.remove(this);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new CancellationException("not supported by the manual scheduler");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return get();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(now(), due));
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    private synchronized Task add(Runnable r, long delay, TimeUnit unit, Duration period) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        Task t = new Task(r, now.plus(Duration.of(delay, unit.toChronoUnit())), period);
        tasks.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, delay, unit, null);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, initialDelay, unit, Duration.of(period, unit.toChronoUnit()));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(command, initialDelay, unit, Duration.of(delay, unit.toChronoUnit()));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>();
        tasks.forEach(t -> left.add(t.body));
        tasks.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && tasks.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
