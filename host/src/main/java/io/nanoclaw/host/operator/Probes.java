package io.nanoclaw.host.operator;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.ContainerRuntime;
import io.nanoclaw.host.containers.DockerClientProvider;
import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The checks {@code ncl status} and {@code ncl doctor} share. Each answers within a few seconds and never throws:
 * a failure is part of the answer. Engine calls run on their own thread with a time limit, so an engine that hangs
 * cannot hold the operator's socket.
 */
@Singleton
public class Probes {
    static final long ENGINE_TIMEOUT_MS = 8_000;
    static final long LOW_DISK_BYTES = 1L << 30;

    @Inject
    HostConfig config;
    @Inject
    ContainerRuntime runtime;
    @Inject
    DockerClientProvider docker;
    @Inject
    Db db;

    /** The engine: its name and version, or why it did not answer. */
    public record Engine(boolean reachable, String version, String error) {}

    /** The agent image: present (with its size) or not, or why that could not be told. */
    public record Image(String name, Boolean present, Long sizeMb, String error) {}

    /** A socket in the data folder: absent, or present with its mode ("rw-------"). */
    public record SocketMode(Path path, boolean exists, String mode) {}

    public Engine engine() {
        try {
            return new Engine(true, timed(runtime::ping), null);
        } catch (ProbeFailure e) {
            return new Engine(false, null, e.getMessage());
        }
    }

    public Image image() {
        String name = config.containerImage();
        try {
            InspectImageResponse r = timed(() -> {
                try {
                    return docker.get().inspectImageCmd(name).exec();
                } catch (NotFoundException e) {
                    return null;
                }
            });
            if (r == null) {
                return new Image(name, false, null, null);
            }
            Long size = r.getSize() == null ? null : Math.round(r.getSize() / (1024.0 * 1024.0));
            return new Image(name, true, size, null);
        } catch (ProbeFailure e) {
            return new Image(name, null, null, e.getMessage());
        }
    }

    /** Bytes free to this user on the file system of the install home. */
    public long freeBytes() throws IOException {
        FileStore store = Files.getFileStore(existing(config.home()));
        return store.getUsableSpace();
    }

    /** {@code PRAGMA quick_check} on the central DB: "ok" or the problems SQLite lists. */
    public List<String> centralDbQuickCheck() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            while (rs.next() && out.size() < 20) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Creates and deletes a file in the data folder. */
    public void dataDirWritable() throws IOException {
        Path probe = Files.createTempFile(config.dataDir(), ".doctor-", ".tmp");
        Files.delete(probe);
    }

    public SocketMode socket(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return new SocketMode(p, false, null);
        }
        try {
            return new SocketMode(p, true,
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
        } catch (IOException | UnsupportedOperationException e) {
            return new SocketMode(p, true, "unknown (" + e.getMessage() + ")");
        }
    }

    public Path nclSocket() {
        return config.dataDir().resolve("ncl.sock");
    }

    private static Path existing(Path p) {
        Path q = p.toAbsolutePath();
        while (q != null && !Files.exists(q)) {
            q = q.getParent();
        }
        return q == null ? Path.of("/") : q;
    }

    /** An engine call on its own daemon thread, given up after {@link #ENGINE_TIMEOUT_MS}. */
    private static <T> T timed(Supplier<T> call) throws ProbeFailure {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(call.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "ncl-engine-probe");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(ENGINE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ProbeFailure("no answer within " + ENGINE_TIMEOUT_MS / 1000 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeFailure("interrupted");
        } catch (ExecutionException e) {
            throw new ProbeFailure(oneLine(e.getCause()));
        }
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    static final class ProbeFailure extends Exception {
        ProbeFailure(String message) {
            super(message);
        }
    }
}
