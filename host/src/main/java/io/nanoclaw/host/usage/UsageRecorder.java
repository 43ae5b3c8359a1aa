package io.nanoclaw.host.usage;

import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.Now;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes one token_usage row per model call, on a thread of its own: a SQLite write can wait for the lock (up to
 * the busy timeout), and the thread that streams the answer must not. A failed write is logged and dropped; it
 * never touches the answer. Rows hold ids, the model and counts only, never a key or a token.
 */
@Singleton
public class UsageRecorder {
    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    @Inject
    Db db;

    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "usage-writer");
        t.setDaemon(true);
        return t;
    });

    /**
     * Records what the tap saw, if anything, once its answer has ended or been cut. The tap is read on the writer
     * thread, so the streaming thread only hands it over.
     */
    public void record(String agentGroupId, String sessionId, UsageTap tap) {
        String at = Now.iso(); // when the answer ended, not when the row happens to be written
        try {
            writer.execute(() -> {
                Optional<Usage> usage;
                try {
                    usage = tap.result();
                } catch (RuntimeException e) {
                    LOG.debugf("usage of a model call in session %s unreadable: %s", sessionId, e.getMessage());
                    return;
                }
                usage.ifPresent(u -> write(agentGroupId, sessionId, u, at));
            });
        } catch (RejectedExecutionException e) {
            LOG.warnf("token usage for session %s not recorded: the host is stopping", sessionId);
        }
    }

    private void write(String agentGroupId, String sessionId, Usage u, String at) {
        try {
            db.update("INSERT INTO token_usage(agent_group_id, session_id, model, input_tokens, output_tokens, "
                            + "cache_read_tokens, cache_creation_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    agentGroupId, sessionId, u.model(), u.inputTokens(), u.outputTokens(), u.cacheReadTokens(),
                    u.cacheCreationTokens(), at);
        } catch (RuntimeException e) {
            LOG.warnf("token usage for session %s not recorded: %s", sessionId, e.getMessage());
        }
    }

    /** Waits until every row handed over before this call is written (or dropped); for tests and shutdown. */
    public void drain() {
        try {
            writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // stopped: nothing more will be written
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("usage writer did not drain: %s", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("token usage writer still busy at shutdown; its last rows are lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
