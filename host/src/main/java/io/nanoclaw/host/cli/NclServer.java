package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.config.HostConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The operator's socket, {@code data/ncl.sock} (host.md 9): mode 0600, so only the host's user can connect, and
 * whoever connects is the operator. One JSON line {@code {id, command, args}} in, one reply line
 * {@code {id, ok, data|error}} out, then the connection closes. The socket is bound in a private folder and moved
 * into place, so it is never reachable with looser permissions, even for an instant.
 */
@Singleton
public class NclServer {
    private static final Logger LOG = Logger.getLogger(NclServer.class);
    public static final String SOCKET = "ncl.sock";
    static final int MAX_LINE_BYTES = 64 * 1024;
    /** Commands at once; more wait for a thread (an image rebuild can hold one for minutes). */
    static final int MAX_PARALLEL = 4;

    @Inject
    HostConfig config;
    @Inject
    NclDispatcher dispatcher;

    private final ObjectMapper mapper = new ObjectMapper();
    private ServerSocketChannel server;
    private ExecutorService workers;
    private volatile boolean running;

    public Path socket() {
        return config.dataDir().resolve(SOCKET);
    }

    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        Path socket = socket();
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        Path privateDir = Files.createTempDirectory(socket.getParent(), ".ncl-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path bound = privateDir.resolve(SOCKET);
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(bound));
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(bound);
            Files.deleteIfExists(privateDir);
        }
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(MAX_PARALLEL, r -> {
            Thread t = new Thread(r, "ncl-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        running = true;
        Thread t = new Thread(this::acceptLoop, "ncl-accept");
        t.setDaemon(true);
        t.start();
        LOG.infof("ncl listening on %s", socket);
    }

    private void acceptLoop() {
        while (running) {
            try {
                SocketChannel ch = server.accept();
                workers.execute(() -> serve(ch));
            } catch (IOException e) {
                if (running) {
                    LOG.warnf("ncl accept failed: %s", e.getMessage());
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // stopping
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            String line = readLine(ch);
            String reply = line == null ? null : answer(line).toString();
            if (reply != null) {
                ByteBuffer b = ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        } catch (IOException e) {
            LOG.debugf("ncl client gone: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "ncl request failed");
        }
    }

    /** The reply to one request line. */
    JsonNode answer(String line) {
        if (line == TOO_LONG) {
            return NclDispatcher.error(null, NclException.INVALID_ARGS, "request too long: at most "
                    + MAX_LINE_BYTES + " bytes");
        }
        JsonNode req;
        try {
            req = mapper.readTree(line);
        } catch (IOException e) {
            req = null;
        }
        if (req == null || !req.isObject()) {
            return NclDispatcher.error(null, NclException.INVALID_ARGS, "malformed request: expected one JSON "
                    + "object like {\"id\":\"1\",\"command\":\"groups-list\",\"args\":{}}");
        }
        JsonNode id = req.get("id");
        String requestId = id == null || id.isNull() || id.isContainerNode() ? null : id.asText();
        return dispatcher.dispatch(requestId, req.get("command"), req.get("args"), NclCaller.OPERATOR);
    }

    private static final String TOO_LONG = "\u0000too-long";

    /** Reads up to the first newline (or the end), at most MAX_LINE_BYTES; null when nothing came. */
    private static String readLine(SocketChannel ch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                break;
            }
            byte[] a = buf.array();
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    out.write(a, 0, i);
                    return out.size() > MAX_LINE_BYTES ? TOO_LONG : out.toString(StandardCharsets.UTF_8);
                }
            }
            out.write(a, 0, n);
            if (out.size() > MAX_LINE_BYTES) {
                return TOO_LONG;
            }
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.UTF_8);
    }

    public synchronized void stop() {
        running = false;
        try {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(socket());
        } catch (IOException e) {
            LOG.debugf("closing the ncl socket: %s", e.getMessage());
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
