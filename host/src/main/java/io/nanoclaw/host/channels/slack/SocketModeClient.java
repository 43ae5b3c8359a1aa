package io.nanoclaw.host.channels.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.ChannelStatus.State;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.channels.http.Backoff;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The Socket Mode connection loop, on its own thread. Each (re)connection asks apps.connections.open for a fresh
 * single-use {@code wss://} URL and connects with the Vert.x WebSocket client; Slack's {@code hello} means
 * connected. Every envelope is acknowledged with {@code {"envelope_id": …}} on the event loop the moment it arrives,
 * before it is handed on (Slack re-sends what is not acked within 3 s). A {@code disconnect} message
 * ({@code warning}, {@code refresh_requested}) opens the next connection first and closes the old one only once the
 * new one said hello, so nothing falls into a gap; {@code link_disabled} (Socket Mode switched off for the app) waits
 * a minute between tries. A dropped socket reconnects with {@link Backoff}; a 429 waits what Slack asked. A token
 * Slack rejects stops the loop for good (no retry storm) and says which token.
 */
final class SocketModeClient {
    private static final Logger LOG = Logger.getLogger(SocketModeClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(15);
    static final long PING_EVERY_MS = 30_000;
    static final long SILENT_FOR_MS = 90_000;
    /** A connection that lived this long earned a fresh backoff. */
    static final long STABLE_MS = 5_000;

    /** What the adapter does before each connection attempt (auth.test until it once succeeded). */
    interface Preflight {
        void run() throws IOException;
    }

    interface StatusSink {
        void set(State state, String detail);
    }

    private enum Kind { CLOSED, REFRESH, DISABLED }

    private record Signal(Conn conn, Kind kind, String why) {}

    /** One WebSocket and what is known of it. */
    final class Conn {
        volatile WebSocket ws;
        volatile long lastFrameAt = System.currentTimeMillis();
        volatile long helloAt;
        final CompletableFuture<Void> hello = new CompletableFuture<>();
        long pingTimer = -1;

        void close() {
            WebSocket w = ws;
            if (pingTimer >= 0) {
                vertx.cancelTimer(pingTimer);
            }
            if (w != null && !w.isClosed()) {
                w.close();
            }
        }
    }

    private final Vertx vertx;
    private final SlackApi api;
    private final Preflight preflight;
    private final StatusSink status;
    private final Consumer<JsonNode> envelopes;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final Backoff backoff = new Backoff();
    private volatile boolean running;
    private volatile Conn current;
    private WebSocketClient client;
    private Thread thread;

    SocketModeClient(Vertx vertx, SlackApi api, Preflight preflight, StatusSink status,
                     Consumer<JsonNode> envelopes) {
        this.vertx = vertx;
        this.api = api;
        this.preflight = preflight;
        this.status = status;
        this.envelopes = envelopes;
    }

    void start() {
        running = true;
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(4 << 20)
                .setMaxFrameSize(1 << 20).setConnectTimeout(15_000));
        thread = new Thread(this::loop, "slack-socket");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        Conn c = current;
        if (c != null) {
            c.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private void loop() {
        while (running) {
            Duration wait;
            String why;
            try {
                status.set(State.CONNECTING, "connecting to Slack");
                preflight.run();
                Conn c = connect();
                current = c;
                status.set(State.CONNECTED, "");
                why = serve();
                if (why == null) {
                    return; // stopped
                }
                wait = why.startsWith("link_disabled") ? Duration.ofSeconds(60) : backoff.next();
            } catch (SlackApiException e) {
                if (e.tokenRejected()) {
                    String which = "apps.connections.open".equals(e.method()) ? "SLACK_APP_TOKEN" : "SLACK_BOT_TOKEN";
                    String reason = which + " was rejected (" + e.error() + ")";
                    LOG.errorf("Slack channel stopped: %s. Fix the token in .env and restart the host.", reason);
                    status.set(State.FAILED, reason);
                    running = false;
                    return;
                }
                why = e.getMessage();
                wait = backoff.next();
            } catch (RateLimitedException e) {
                why = e.getMessage();
                wait = e.retryAfter();
            } catch (IOException e) {
                why = e.getMessage();
                wait = backoff.next();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "Slack connection loop");
                why = String.valueOf(e);
                wait = backoff.next();
            }
            if (!running) {
                return;
            }
            long secs = Math.max(1, Math.round(wait.toMillis() / 1000.0));
            LOG.warnf("Slack: reconnecting in %d s after: %s", secs, why);
            status.set(State.CONNECTING, "reconnecting in " + secs + " s after: " + why);
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Serves connections until one drops; returns why (null when stopped). */
    private String serve() throws IOException, InterruptedException {
        while (running) {
            Signal s = signals.take();
            Conn c = current;
            if (s.conn() != c) {
                continue; // about a connection already replaced
            }
            switch (s.kind()) {
                case CLOSED -> {
                    if (System.currentTimeMillis() - c.helloAt >= STABLE_MS) {
                        backoff.reset();
                    }
                    return s.why();
                }
                case DISABLED -> {
                    c.close();
                    return "link_disabled: Socket Mode is turned off for this Slack app";
                }
                case REFRESH -> {
                    LOG.debugf("Slack asked to reconnect (%s): opening the next connection first", s.why());
                    Conn next;
                    try {
                        next = connect();
                    } catch (IOException e) {
                        c.close();
                        throw e;
                    }
                    current = next;
                    c.close();
                    status.set(State.CONNECTED, "");
                }
                default -> { }
            }
        }
        return null;
    }

    private Conn connect() throws IOException, InterruptedException {
        String url = api.openConnection();
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("apps.connections.open answered with a malformed URL");
        }
        boolean tls = "wss".equals(u.getScheme());
        String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(u.getHost())
                .setPort(u.getPort() > 0 ? u.getPort() : tls ? 443 : 80).setSsl(tls).setURI(path)
                .setConnectTimeout(15_000);
        Conn c = new Conn();
        CompletableFuture<Void> hello = c.hello;
        client.connect(o).onFailure(hello::completeExceptionally).onSuccess(ws -> {
            c.ws = ws;
            ws.textMessageHandler(text -> onText(c, text));
            ws.pongHandler(b -> c.lastFrameAt = System.currentTimeMillis());
            ws.exceptionHandler(e -> LOG.debugf("Slack socket: %s", e.getMessage()));
            ws.closeHandler(v -> {
                String why = "the socket closed" + (ws.closeStatusCode() == null ? ""
                        : " (" + ws.closeStatusCode() + (ws.closeReason() == null ? "" : " " + ws.closeReason())
                        + ")");
                hello.completeExceptionally(new IOException(why + " before Slack said hello"));
                vertx.cancelTimer(c.pingTimer);
                signals.add(new Signal(c, Kind.CLOSED, why));
            });
            c.pingTimer = vertx.setPeriodic(PING_EVERY_MS, t -> keepAlive(c));
        });
        try {
            hello.get(HELLO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            c.close();
            throw new IOException("no hello from Slack within " + HELLO_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            c.close();
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException("WebSocket connect failed: " + cause, cause);
        } catch (InterruptedException e) {
            c.close();
            throw e;
        }
        c.helloAt = System.currentTimeMillis();
        return c;
    }

    /** A connection that went silent (a half-open TCP link) is closed, so the loop reconnects. */
    private void keepAlive(Conn c) {
        WebSocket ws = c.ws;
        if (ws == null || ws.isClosed()) {
            vertx.cancelTimer(c.pingTimer);
            return;
        }
        if (System.currentTimeMillis() - c.lastFrameAt > SILENT_FOR_MS) {
            LOG.warn("Slack socket silent for 90 s: reconnecting");
            ws.close();
            return;
        }
        ws.writePing(Buffer.buffer("nc"));
    }

    /** On the event loop: ack first, then hand on. Bad frames are logged and skipped, never thrown. */
    private void onText(Conn c, String text) {
        c.lastFrameAt = System.currentTimeMillis();
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (IOException e) {
            LOG.debugf("Slack sent a frame that is not JSON: skipped");
            return;
        }
        if (n == null || !n.isObject()) {
            LOG.debugf("Slack sent a frame that is not a JSON object: skipped");
            return;
        }
        JsonNode idNode = n.get("envelope_id");
        String envelopeId = idNode != null && idNode.isTextual() && !idNode.asText().isEmpty() ? idNode.asText()
                : null;
        if (envelopeId != null) {
            c.ws.writeTextMessage(JSON.createObjectNode().put("envelope_id", envelopeId).toString());
        }
        String type = n.path("type").asText("");
        switch (type) {
            case "hello" -> {
                LOG.debugf("Slack hello (%d connection(s))", n.path("num_connections").asInt(0));
                c.hello.complete(null);
            }
            case "disconnect" -> {
                String reason = n.path("reason").asText("");
                signals.add(new Signal(c, "link_disabled".equals(reason) ? Kind.DISABLED : Kind.REFRESH, reason));
            }
            case "events_api", "interactive", "slash_commands" -> {
                if (envelopeId == null) {
                    LOG.debugf("Slack %s envelope without an envelope_id: skipped", type);
                } else {
                    try {
                        envelopes.accept(n);
                    } catch (RuntimeException e) {
                        LOG.warnf("Slack envelope %s could not be queued: %s", envelopeId, e.getMessage());
                    }
                }
            }
            default -> LOG.debugf("Slack sent an unknown frame type '%s': skipped", type);
        }
    }
}
