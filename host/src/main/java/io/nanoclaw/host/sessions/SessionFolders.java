package io.nanoclaw.host.sessions;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.protocol.SessionFiles;
import io.nanoclaw.protocol.SessionSchema;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Session folders on disk: {@code data/sessions/<agent group>/<session>/} with inbound.db, outbound.db, inbox/ and
 * outbox/, and the per-group agent state folder beside them.
 *
 * <p>Ownership matters: the host often runs as root while the container runs as a non-root uid. The container
 * writes outbound.db (and its -wal/-shm), .heartbeat and outbox/, so the folder and outbound.db belong to the
 * container's uid. inbound.db stays the host's: the container opens it read-only. When root opens a WAL file, SQLite
 * gives the -wal and -shm files the owner of the database file, so both sides keep working.
 */
@Singleton
public class SessionFolders {
    @Inject
    HostConfig config;

    public Path sessionDir(String agentGroupId, String sessionId) {
        return config.sessionsDir().resolve(agentGroupId).resolve(sessionId);
    }

    public Path agentStateDir(String agentGroupId) {
        return config.sessionsDir().resolve(agentGroupId).resolve(".agent-state");
    }

    public Path inbound(String agentGroupId, String sessionId) {
        return sessionDir(agentGroupId, sessionId).resolve(SessionFiles.INBOUND_DB);
    }

    public Path outbound(String agentGroupId, String sessionId) {
        return sessionDir(agentGroupId, sessionId).resolve(SessionFiles.OUTBOUND_DB);
    }

    public Path heartbeat(String agentGroupId, String sessionId) {
        return sessionDir(agentGroupId, sessionId).resolve(SessionFiles.HEARTBEAT);
    }

    /** Creates the folder, both DBs with their schemas and the state folder; idempotent. */
    public void create(String agentGroupId, String sessionId) {
        Path dir = sessionDir(agentGroupId, sessionId);
        try {
            Files.createDirectories(dir.resolve(SessionFiles.OUTBOX));
            Files.createDirectories(dir.resolve(SessionFiles.INBOX));
            Path state = agentStateDir(agentGroupId);
            Files.createDirectories(state);
            try (Connection in = SessionDb.openWriter(dir.resolve(SessionFiles.INBOUND_DB), config.journalMode())) {
                SessionSchema.createInbound(in);
            }
            Path out = dir.resolve(SessionFiles.OUTBOUND_DB);
            try (Connection o = SessionDb.openWriter(out, config.journalMode())) {
                SessionSchema.createOutbound(o);
            }
            Files.setPosixFilePermissions(dir.resolve(SessionFiles.INBOUND_DB),
                    PosixFilePermissions.fromString("rw-r--r--"));
            giveToContainer(dir);
            giveToContainer(dir.resolve(SessionFiles.OUTBOX));
            giveToContainer(dir.resolve(SessionFiles.INBOX));
            giveToContainer(out);
            giveToContainer(state);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot create session folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Hands a path to the container's uid; a no-op when the host isn't root (then both run as the same user). */
    public void giveToContainer(Path p) throws IOException {
        if (!isRoot()) {
            return;
        }
        int uid = config.containerUid();
        UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(lookup.lookupPrincipalByName(Integer.toString(uid)));
        view.setGroup(lookup.lookupPrincipalByGroupName(Integer.toString(uid)));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
