package io.nanoclaw.runner.loop;

import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.InboundStore;
import java.sql.SQLException;
import java.util.List;

/**
 * The runner's main loop: never exits on its own (the host stops idle containers). Each turn checks inbound.db's
 * data_version, queries only when something may have changed, runs a batch if one passes the trigger gate, and
 * otherwise sleeps as long as {@link PollPacer} says.
 */
public final class PollLoop implements Runnable {
    private static final long ERROR_PAUSE_MS = 1000;

    private final InboundStore inbound;
    private final PendingSelector selector;
    private final BatchProcessor processor;
    private final PollPacer pacer;
    private final Object wakeup = new Object();
    private volatile boolean stopping;

    public PollLoop(InboundStore inbound, PendingSelector selector, BatchProcessor processor, PollPacer pacer) {
        this.inbound = inbound;
        this.selector = selector;
        this.processor = processor;
        this.pacer = pacer;
    }

    @Override
    public void run() {
        Log.info("loop", "polling");
        while (!stopping) {
            long pause;
            try {
                pause = pollOnce() ? 0 : pacer.sleepMillis();
            } catch (SQLException | RuntimeException e) {
                Log.error("loop", "poll failed", e);
                pause = ERROR_PAUSE_MS; // a broken DB must not turn into a hot loop
            }
            if (pause > 0) {
                pause(pause);
            }
        }
        Log.info("loop", "stopped");
    }

    /** One poll; true when a batch ran (the caller then polls again at once). */
    public boolean pollOnce() throws SQLException {
        if (!pacer.shouldQuery(inbound.dataVersion())) {
            return false;
        }
        List<InboundRow> batch = selector.next();
        if (batch.isEmpty() || !TriggerGate.passes(batch)) {
            return false;
        }
        pacer.activity();
        processor.process(batch);
        return true;
    }

    /** Ends the loop after the current turn; a sleeping loop wakes at once. */
    public void stop() {
        stopping = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    private void pause(long millis) {
        synchronized (wakeup) {
            if (stopping) {
                return;
            }
            try {
                wakeup.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }
}
