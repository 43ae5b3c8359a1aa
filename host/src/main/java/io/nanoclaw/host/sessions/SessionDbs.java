package io.nanoclaw.host.sessions;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.protocol.SessionDb;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Open session-DB connections, kept while a session is in use and closed when idle or when too many are open.
 * Opening per operation (as the original does) costs 2-3x. The host holds a WRITER on inbound.db and a READ-ONLY
 * connection on outbound.db: it never writes outbound.db. Each session's pair is used under its own lock, since a
 * JDBC connection is not safe for concurrent use.
 */
@Singleton
public class SessionDbs {
    private static final Logger LOG = Logger.getLogger(SessionDbs.class);
    /** Two connections (six file descriptors with WAL) per session; more than the sessions a home server keeps busy. */
    static final int MAX_OPEN = 128;
    static final long IDLE_CLOSE_MS = 5 * 60_000L;

    @Inject
    HostConfig config;

    @Inject
    SessionFolders folders;

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final class Handle {
        final String agentGroupId;
        final String sessionId;
        Connection inbound;
        Connection outbound;
        /** Identity of outbound.db's -wal and -shm files when the reader was opened. */
        Object outboundShm;
        long lastUsed;

        Handle(String agentGroupId, String sessionId) {
            this.agentGroupId = agentGroupId;
            this.sessionId = sessionId;
        }

        void close() {
            closeQuietly(inbound);
            closeQuietly(outbound);
            inbound = null;
            outbound = null;
        }
    }

    private final Map<String, Handle> open = new LinkedHashMap<>(16, 0.75f, true);

    public <T> T withInbound(String agentGroupId, String sessionId, Work<T> work) {
        Handle h = handle(agentGroupId, sessionId);
        synchronized (h) {
            try {
                if (h.inbound == null) {
                    h.inbound = SessionDb.openWriter(folders.inbound(agentGroupId, sessionId), config.journalMode());
                }
                h.lastUsed = System.currentTimeMillis();
                return work.run(h.inbound);
            } catch (SQLException e) {
                closeQuietly(h.inbound);
                h.inbound = null;
                throw new SessionDbException(sessionId, "inbound.db", e);
            }
        }
    }

    /** Runs read-only work on outbound.db; returns null (without failing) while the file does not exist. */
    public <T> T withOutbound(String agentGroupId, String sessionId, Work<T> work) {
        Path file = folders.outbound(agentGroupId, sessionId);
        Handle h = handle(agentGroupId, sessionId);
        synchronized (h) {
            try {
                if (h.outbound != null && !walIdentity(file).equals(h.outboundShm)) {
                    // The writer's WAL files were replaced (container restarted) or have appeared since we opened
                    // (a read-only connection opened without a WAL reads the main file only and never sees the
                    // writer's commits): reopen, or we would read a stale view.
                    closeQuietly(h.outbound);
                    h.outbound = null;
                }
                if (h.outbound == null) {
                    if (!Files.exists(file)) {
                        return null;
                    }
                    h.outbound = SessionDb.openReader(file);
                    h.outboundShm = walIdentity(file);
                }
                h.lastUsed = System.currentTimeMillis();
                return work.run(h.outbound);
            } catch (SQLException e) {
                closeQuietly(h.outbound);
                h.outbound = null;
                throw new SessionDbException(sessionId, "outbound.db", e);
            }
        }
    }

    private Handle handle(String agentGroupId, String sessionId) {
        List<Handle> evicted = new ArrayList<>();
        Handle h;
        synchronized (open) {
            h = open.computeIfAbsent(sessionId, id -> new Handle(agentGroupId, id));
            while (open.size() > MAX_OPEN) {
                Map.Entry<String, Handle> eldest = open.entrySet().iterator().next();
                open.remove(eldest.getKey());
                evicted.add(eldest.getValue());
            }
        }
        for (Handle e : evicted) {
            synchronized (e) {
                e.close();
            }
        }
        return h;
    }

    /**
     * Closes the connections of sessions untouched for a while (called by the sweep), except those of sessions
     * whose container runs: closing the last connection on inbound.db deletes its WAL files, and a container's
     * long-lived reader would go on reading the deleted ones.
     */
    public int closeIdle(java.util.function.Predicate<String> containerRuns) {
        long cutoff = System.currentTimeMillis() - IDLE_CLOSE_MS;
        List<Handle> idle = new ArrayList<>();
        synchronized (open) {
            open.values().removeIf(h -> {
                if (h.lastUsed < cutoff && !containerRuns.test(h.sessionId)) {
                    idle.add(h);
                    return true;
                }
                return false;
            });
        }
        for (Handle h : idle) {
            synchronized (h) {
                h.close();
            }
        }
        return idle.size();
    }

    public void close(String sessionId) {
        Handle h;
        synchronized (open) {
            h = open.remove(sessionId);
        }
        if (h != null) {
            synchronized (h) {
                h.close();
            }
        }
    }

    @PreDestroy
    void closeAll() {
        List<Handle> all;
        synchronized (open) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        for (Handle h : all) {
            synchronized (h) {
                h.close();
            }
        }
    }

    private static List<Object> walIdentity(Path db) {
        return java.util.Arrays.asList(fileKey(Path.of(db + "-wal")), fileKey(Path.of(db + "-shm")));
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debugf("closing a session DB connection: %s", e.getMessage());
        }
    }
}
