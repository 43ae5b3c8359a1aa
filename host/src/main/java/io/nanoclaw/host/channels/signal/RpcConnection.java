package io.nanoclaw.host.channels.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One TCP connection to a signal-cli daemon speaking newline-delimited JSON-RPC 2.0: requests carry increasing
 * numeric ids and their responses are matched by id; lines with a {@code method} are notifications (received
 * messages) and go to {@code onNotification}. One reader thread per connection; writes are serialised.
 */
final class RpcConnection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RpcConnection.class);
    /** A 25 MiB attachment as base64 in one response line, plus room for the JSON around it. */
    static final int MAX_LINE_BYTES = 40 * 1024 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final ObjectMapper mapper;
    private final Consumer<JsonNode> onNotification;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile String closeReason = "closed";
    /** Set (by the reader, in line order) once subscribeReceive succeeded on this connection. */
    private volatile boolean subscribed;

    private record Pending(String method, CompletableFuture<JsonNode> result) {}

    RpcConnection(Socket socket, ObjectMapper mapper, AtomicLong ids, Consumer<JsonNode> onNotification)
            throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.mapper = mapper;
        this.ids = ids;
        this.onNotification = onNotification;
    }

    void startReading(String threadName) {
        Thread t = new Thread(this::readLoop, threadName);
        t.setDaemon(true);
        t.start();
    }

    private void readLoop() {
        try {
            JsonLines lines = new JsonLines(socket.getInputStream(), MAX_LINE_BYTES);
            String line;
            while ((line = lines.next()) != null) {
                if (line == JsonLines.TOO_LONG) {
                    LOG.warnf("signal-cli sent a line over %d MiB: skipped", MAX_LINE_BYTES / (1024 * 1024));
                    continue;
                }
                if (!line.isBlank()) {
                    handleLine(line);
                }
            }
            closeReason = "signal-cli closed the connection";
        } catch (IOException e) {
            closeReason = e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            close();
        }
    }

    private void handleLine(String line) {
        JsonNode n;
        try {
            n = mapper.readTree(line);
        } catch (IOException e) {
            LOG.debugf("signal-cli sent a line that is not JSON: skipped (%s)", abbreviate(line));
            return;
        }
        if (n == null || !n.isObject()) {
            LOG.debugf("signal-cli sent a line that is not a JSON object: skipped (%s)", abbreviate(line));
            return;
        }
        if (n.hasNonNull("method")) {
            if (subscribed && n.path("params").has("envelope")) {
                // a daemon in --receive-mode=on-start sends each message twice to a subscribed client: once plain,
                // once wrapped in {subscription, result}; the wrapped copy is the one we asked for
                return;
            }
            try {
                onNotification.accept(n);
            } catch (RuntimeException e) {
                LOG.warnf(e, "handling a signal-cli notification failed");
            }
            return;
        }
        JsonNode id = n.get("id");
        if (id == null || !id.canConvertToLong()) {
            JsonNode err = n.path("error");
            LOG.debugf("signal-cli response without a known id: %s", err.isMissingNode() ? abbreviate(line)
                    : err.path("message").asText());
            return;
        }
        Pending p = pending.remove(id.asLong());
        if (p == null) {
            LOG.debugf("signal-cli response for id %d that nobody waits for (timed out?)", id.asLong());
            return;
        }
        JsonNode err = n.get("error");
        if (err != null && !err.isNull()) {
            p.result().completeExceptionally(new SignalRpcException(p.method(), err.path("code").asInt(0),
                    err.path("message").asText("unknown error"), err.get("data")));
        } else {
            JsonNode r = n.get("result");
            if (p.method().equals("subscribeReceive")) {
                subscribed = true;
            }
            p.result().complete(r == null ? mapper.nullNode() : r);
        }
    }

    /** Sends a request and returns its result, to be waited for. */
    CompletableFuture<JsonNode> send(String method, ObjectNode params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        if (closed.getCount() == 0) {
            f.completeExceptionally(unavailable(null));
            return f;
        }
        pending.put(id, new Pending(method, f));
        ObjectNode req = mapper.createObjectNode().put("jsonrpc", "2.0").put("method", method);
        if (params != null) {
            req.set("params", params);
        }
        req.put("id", id);
        try {
            byte[] bytes = (mapper.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            f.completeExceptionally(unavailable(e));
            close();
        }
        if (closed.getCount() == 0 && pending.remove(id) != null) { // closed while we wrote
            f.completeExceptionally(unavailable(null));
        }
        return f;
    }

    /** A request and its result; a timeout or a lost connection is a {@link PlatformUnavailableException}. */
    JsonNode call(String method, ObjectNode params, Duration timeout) throws IOException {
        CompletableFuture<JsonNode> f = send(method, params);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new PlatformUnavailableException("signal-cli did not answer " + method + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for signal-cli", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } finally {
            pending.values().removeIf(p -> p.result() == f);
        }
    }

    private PlatformUnavailableException unavailable(Throwable cause) {
        return new PlatformUnavailableException("connection to signal-cli lost: " + closeReason, cause);
    }

    boolean isOpen() {
        return closed.getCount() > 0;
    }

    /** Blocks until the connection is gone; returns why. */
    String awaitClosed() throws InterruptedException {
        closed.await();
        return closeReason;
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debugf("closing the signal-cli socket: %s", e.getMessage());
        }
        for (Long id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.result().completeExceptionally(unavailable(null));
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
