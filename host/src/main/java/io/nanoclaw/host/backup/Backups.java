package io.nanoclaw.host.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.protocol.SessionFiles;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.sqlite.SQLiteConnection;

/**
 * One archive with everything needed to bring an install back: the central DB and every session's inbound.db and
 * outbound.db, each copied through SQLite's online backup (a consistent snapshot of each file while the host keeps
 * running), the agents' conversation state ({@code data/sessions/<group>/.agent-state/}) and the {@code groups/}
 * folder, plus {@code manifest.json} (version, time, every file with its size and SHA-256). Not included: {@code .env}
 * (it holds secrets), attachments in session {@code inbox/} and {@code outbox/}, logs, old backups.
 */
@Singleton
public class Backups {
    private static final Logger LOG = Logger.getLogger(Backups.class);
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    public static final String MANIFEST = "manifest.json";
    public static final int FORMAT = 1;

    @Inject
    HostConfig config;
    @Inject
    Db db;
    @Inject
    SessionDbs sessionDbs;

    private final AtomicBoolean busy = new AtomicBoolean();

    /** What one backup wrote. */
    public record Result(Path archive, long bytes, int sessions, int files, List<String> skipped) {}

    /** A refused target or a backup already under way: the operator's mistake, told in one line. */
    public static class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    public Path defaultTarget(Instant now) {
        return config.dataDir().resolve("backups").resolve("nanoclaw-" + STAMP.format(now) + ".tar.gz");
    }

    /** Checks where an archive may go: not into a folder a container can write, not over an existing file. */
    public Path checkTarget(String to) throws Refused {
        if (to == null) {
            return defaultTarget(Instant.now());
        }
        Path p;
        try {
            p = Path.of(to);
        } catch (java.nio.file.InvalidPathException e) {
            throw new Refused("--to is not a valid path: " + e.getMessage());
        }
        if (!p.isAbsolute()) {
            throw new Refused("--to must be an absolute path (the host does not know your working folder): " + to);
        }
        p = p.normalize();
        if (p.getFileName() == null) {
            throw new Refused("--to must name a file: " + to);
        }
        Path real = realOfNearest(p);
        for (Path guarded : List.of(config.sessionsDir(), config.groupsDir())) {
            Path g = guarded.toAbsolutePath().normalize();
            Path gReal = realOfNearest(g);
            if (p.startsWith(g) || real.startsWith(gReal)) {
                throw new Refused("--to is inside " + g + ", where agent containers can write: choose another folder");
            }
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused(p + " already exists: choose a new file name");
        }
        if (!Files.isDirectory(p.getParent())) {
            throw new Refused("folder " + p.getParent() + " does not exist");
        }
        return p;
    }

    /** The real path of p's nearest existing ancestor, with the rest of p appended (symlinks resolved). */
    private static Path realOfNearest(Path p) {
        Path existing = p;
        Path rest = Path.of("");
        while (existing != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return p;
        }
    }

    /** Writes the archive to {@code target} (checked by {@link #checkTarget}); one backup at a time. */
    public Result create(Path target) throws Refused, IOException {
        if (!busy.compareAndSet(false, true)) {
            throw new Refused("a backup is already running");
        }
        Path staging = null;
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(config.dataDir(), ".backup-");
            List<ObjectNode> files = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            Instant now = Instant.now();
            int sessions;
            Files.deleteIfExists(partial);
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(owner));
            try (OutputStream os = Files.newOutputStream(partial, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING); TarWriter tar = new TarWriter(os)) {
                tar.directory("data", now.getEpochSecond());
                Path central = staging.resolve("nanoclaw.db");
                backupCentral(central);
                add(tar, files, "data/nanoclaw.db", central, 0600);
                sessions = addSessions(tar, files, skipped, staging);
                addTree(tar, files, skipped, config.groupsDir(), "groups");
                ObjectNode m = json.createObjectNode();
                m.put("format", FORMAT);
                m.put("version", ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.application.version", String.class).orElse("unknown"));
                m.put("createdAt", now.toString());
                m.put("sourceHome", config.home().toString());
                m.put("sessions", sessions);
                ArrayNode list = m.putArray("files");
                files.forEach(list::add);
                ArrayNode sk = m.putArray("skipped");
                skipped.forEach(sk::add);
                m.put("notIncluded", ".env (secrets: keep your own copy), session inbox/ and outbox/ attachments, "
                        + "logs, container-config, earlier backups");
                tar.file(MANIFEST, json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(m),
                        now.getEpochSecond());
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            long bytes = Files.size(target);
            LOG.infof("backup written: %s (%d bytes, %d sessions, %d files%s)", target, bytes, sessions, files.size(),
                    skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped");
            return new Result(target, bytes, sessions, files.size(), skipped);
        } finally {
            Files.deleteIfExists(partial);
            if (staging != null) {
                deleteTree(staging);
            }
            busy.set(false);
        }
    }

    private void backupCentral(Path dest) throws IOException {
        try (Connection c = db.connection()) {
            onlineBackup(c, dest);
        } catch (SQLException e) {
            throw new IOException("backup of the central DB failed: " + e.getMessage(), e);
        }
    }

    /**
     * SQLite's online backup of the connection's main DB into {@code dest}, in one step: it reads a snapshot, so
     * writers on other connections (WAL) neither block it nor make it start over.
     */
    static void onlineBackup(Connection c, Path dest) throws SQLException {
        SQLiteConnection sc = c.unwrap(SQLiteConnection.class);
        int rc = sc.getDatabase().backup("main", dest.toAbsolutePath().toString(), null, 100, 50, -1);
        if (rc != 0 && rc != 101) { // SQLITE_OK, SQLITE_DONE
            throw new SQLException("sqlite backup returned " + rc);
        }
    }

    /** data/sessions/<group>/<session>/{inbound,outbound}.db, and each group's .agent-state files. */
    private int addSessions(TarWriter tar, List<ObjectNode> files, List<String> skipped, Path staging)
            throws IOException {
        Path root = config.sessionsDir();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int count = 0;
        for (Path groupDir : sorted(root)) {
            String ag = groupDir.getFileName().toString();
            if (!Files.isDirectory(groupDir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            for (Path dir : sorted(groupDir)) {
                String name = dir.getFileName().toString();
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (name.equals(".agent-state")) {
                    addTree(tar, files, skipped, dir, "data/sessions/" + ag + "/.agent-state");
                    continue;
                }
                Path inbound = dir.resolve(SessionFiles.INBOUND_DB);
                if (!Files.isRegularFile(inbound, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String prefix = "data/sessions/" + ag + "/" + name + "/";
                Path copyIn = staging.resolve(ag + "-" + name + "-in.db");
                sessionDbs.withInbound(ag, name, c -> {
                    onlineBackup(c, copyIn);
                    return null;
                });
                add(tar, files, prefix + SessionFiles.INBOUND_DB, copyIn, 0644);
                Path copyOut = staging.resolve(ag + "-" + name + "-out.db");
                Boolean done = sessionDbs.withOutbound(ag, name, c -> {
                    onlineBackup(c, copyOut);
                    return true;
                });
                if (done != null) {
                    add(tar, files, prefix + SessionFiles.OUTBOUND_DB, copyOut, 0644);
                }
                Files.deleteIfExists(copyIn);
                Files.deleteIfExists(copyOut);
                count++;
            }
        }
        return count;
    }

    /** Regular files and folders under {@code dir}, as {@code prefix/...}; symlinks and special files skipped. */
    private void addTree(TarWriter tar, List<ObjectNode> files, List<String> skipped, Path dir, String prefix)
            throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                tar.directory(name(d), attrs.lastModifiedTime().toInstant().getEpochSecond());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                String n = name(f);
                if (attrs.isSymbolicLink()) {
                    skipped.add(n + " (symlink)");
                } else if (!attrs.isRegularFile()) {
                    skipped.add(n + " (not a regular file)");
                } else {
                    try {
                        addLive(tar, files, n, f, attrs);
                    } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
                        skipped.add(n + " (" + e.getClass().getSimpleName() + ")");
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                skipped.add(name(f) + " (" + e.getClass().getSimpleName() + ")");
                return FileVisitResult.CONTINUE;
            }

            private String name(Path p) {
                String rel = dir.relativize(p).toString();
                return rel.isEmpty() ? prefix : prefix + "/" + rel;
            }
        });
    }

    private static void add(TarWriter tar, List<ObjectNode> files, String name, Path f, int mode) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            TarWriter.Written w = tar.file(name, Files.size(f), in, mode, Instant.now().getEpochSecond());
            files.add(entry(name, w));
        }
    }

    private static void addLive(TarWriter tar, List<ObjectNode> files, String name, Path f, BasicFileAttributes a)
            throws IOException {
        int mode = 0644;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS);
            mode = perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
        } catch (UnsupportedOperationException e) {
            // not POSIX: the default
        }
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            TarWriter.Written w = tar.file(name, a.size(), in, mode, a.lastModifiedTime().toInstant().getEpochSecond());
            files.add(entry(name, w));
        }
    }

    private static ObjectNode entry(String name, TarWriter.Written w) {
        ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        n.put("path", name);
        n.put("bytes", w.bytes());
        n.put("sha256", w.sha256());
        return n;
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debugf("cleaning up %s: %s", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.debugf("cleaning up %s: %s", root, e.getMessage());
        }
    }
}
