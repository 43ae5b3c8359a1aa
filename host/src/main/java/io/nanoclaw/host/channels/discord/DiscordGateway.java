package io.nanoclaw.host.channels.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelStatus.State;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.channels.http.Backoff;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The Gateway v10 connection (JSON encoding, no compression): Hello → heartbeats (the first after
 * {@code interval × jitter}, then every interval, each carrying the last sequence number; a beat without an ACK
 * since the previous one means a zombie connection, which is closed and resumed) → Identify, or Resume with the
 * session id and sequence after a drop, so Discord replays what was missed. Reconnect (op 7) resumes at once;
 * Invalid Session (op 9) resumes when Discord says it can, else identifies afresh after 1-5 s. Close codes that
 * retrying can't fix (4004 token rejected, 4010-4014) stop the channel with a clear status; any other close or
 * failure reconnects with {@link Backoff}. One loop thread owns the reconnects; socket events run on the Vert.x
 * event loop and hand dispatches to the {@link Listener} without blocking.
 */
final class DiscordGateway {
    private static final Logger LOG = Logger.getLogger(DiscordGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final int GUILDS = 1;
    static final int GUILD_MESSAGES = 1 << 9;
    static final int GUILD_MESSAGE_REACTIONS = 1 << 10;
    static final int DIRECT_MESSAGES = 1 << 12;
    /** Privileged: must be switched on in the Developer Portal (Bot → Privileged Gateway Intents). */
    static final int MESSAGE_CONTENT = 1 << 15;
    static final int INTENTS = GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGES | MESSAGE_CONTENT;

    /** Closes we ask for ourselves to resume afterwards: anything but 1000/1001, which end the session. */
    static final short RESUMABLE_CLOSE = 4000;

    interface Listener {
        /** A dispatch (op 0) in sequence order; called on the event loop: hand it off, never block. */
        void onDispatch(String type, JsonNode data);

        void onStatus(State state, String detail);
    }

    private final Vertx vertx;
    private final DiscordRest rest;
    private final String token;
    private final Optional<String> gatewayOverride;
    private final Listener listener;

    /** Op 9 with d=false: Discord asks for a random wait of 1-5 s before a fresh Identify. Tests shorten it. */
    volatile long invalidSessionMinMs = 1_000;
    volatile long invalidSessionMaxMs = 5_000;
    /** How long after the socket opens a Hello must have come. */
    volatile long helloTimeoutMs = 30_000;

    final AtomicInteger identifies = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();
    final AtomicInteger heartbeats = new AtomicInteger();

    private volatile boolean running;
    private volatile Thread loop;
    private volatile WebSocketClient client;
    private volatile Connection current;
    private volatile String botUserId;
    private volatile String botName;

    // the resumable session; guarded by this
    private String sessionId;
    private String resumeUrl;
    private long seq = -1;

    DiscordGateway(Vertx vertx, DiscordRest rest, String token, Optional<String> gatewayOverride, Listener listener) {
        this.vertx = vertx;
        this.rest = rest;
        this.token = token;
        this.gatewayOverride = gatewayOverride;
        this.listener = listener;
    }

    String botUserId() {
        return botUserId;
    }

    String botName() {
        return botName;
    }

    synchronized long seq() {
        return seq;
    }

    synchronized String sessionId() {
        return sessionId;
    }

    void start() {
        running = true;
        client = vertx.createWebSocketClient(new WebSocketClientOptions()
                // READY and GUILD_CREATE of a big server are large; they arrive in frames of any size
                .setMaxFrameSize(4 << 20).setMaxMessageSize(64 << 20)
                .setConnectTimeout(15_000).setIdleTimeout(0));
        Thread t = new Thread(this::run, "discord-gateway");
        t.setDaemon(true);
        loop = t;
        t.start();
    }

    void stop() {
        running = false;
        Connection c = current;
        if (c != null) {
            c.finish(1000, "stopped", true, false);
        }
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
        WebSocketClient wc = client;
        if (wc != null) {
            wc.close();
        }
    }

    // ---- the reconnect loop (its own thread) ----

    private void run() {
        Backoff backoff = new Backoff();
        String gatewayUrl = null;
        while (running) {
            String why;
            Duration wait = null;
            try {
                if (botUserId == null) {
                    listener.onStatus(State.CONNECTING, "checking the bot token");
                    JsonNode me = rest.get("/users/@me");
                    String id = me == null ? null : text(me, "id");
                    if (id == null) {
                        throw new IOException("GET /users/@me answered without an id");
                    }
                    botName = Optional.ofNullable(text(me, "username")).orElse("bot");
                    botUserId = id;
                    LOG.infof("Discord bot token accepted: %s (%s)", botName, id);
                }
                if (gatewayUrl == null) {
                    gatewayUrl = gatewayUrl();
                }
                String url;
                synchronized (this) {
                    url = sessionId != null && resumeUrl != null ? withQuery(resumeUrl) : gatewayUrl;
                }
                listener.onStatus(State.CONNECTING, "connecting to the gateway");
                Connection c = open(url);
                Outcome o = c.closed.get();
                if (!running) {
                    break;
                }
                if (c.ready) {
                    backoff.reset();
                }
                String fatal = fatal(o.code);
                if (fatal != null) {
                    fail(fatal);
                    return;
                }
                if (o.code == 4007 || o.code == 4009) { // invalid seq, session timed out: start a new one
                    clearSession();
                }
                why = o.describe();
                if (o.immediate && c.ready) {
                    LOG.infof("Discord gateway: %s; resuming", why);
                    continue;
                }
            } catch (DiscordRest.DiscordApiException e) {
                if (e.status == 401) {
                    fail("the bot token was rejected (HTTP 401 from GET /users/@me): set a valid DISCORD_BOT_TOKEN "
                            + "(Developer Portal → your application → Bot → Reset Token)");
                    return;
                }
                why = e.getMessage();
            } catch (RateLimitedException e) {
                why = e.getMessage();
                wait = e.retryAfter();
            } catch (InterruptedException e) {
                break;
            } catch (ExecutionException e) {
                why = String.valueOf(e.getCause());
            } catch (IOException | RuntimeException e) {
                why = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            if (!running) {
                break;
            }
            Duration d = backoff.next();
            if (wait != null && wait.compareTo(d) > 0) {
                d = wait;
            }
            long secs = Math.max(1, Math.round(d.toMillis() / 1000.0));
            LOG.warnf("Discord gateway: reconnecting in %d s after: %s", secs, why);
            listener.onStatus(State.CONNECTING, "reconnecting in " + secs + " s after: " + why);
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void fail(String reason) {
        running = false;
        LOG.errorf("Discord channel stopped: %s", reason);
        listener.onStatus(State.FAILED, reason);
    }

    /** What a close code means when reconnecting can't help, else null. */
    static String fatal(int code) {
        return switch (code) {
            case 4004 -> "the bot token was rejected (gateway close 4004, authentication failed): set a valid "
                    + "DISCORD_BOT_TOKEN";
            case 4010 -> "Discord refused the shard (gateway close 4010)";
            case 4011 -> "Discord requires sharding for this bot (gateway close 4011): it is in too many servers for "
                    + "one connection";
            case 4012 -> "Discord refused the gateway version (gateway close 4012)";
            case 4013 -> "Discord refused the intents as invalid (gateway close 4013)";
            case 4014 -> "Discord refused a privileged intent (gateway close 4014): enable \"Message Content Intent\" "
                    + "for this bot in the Developer Portal (your application → Bot → Privileged Gateway Intents), "
                    + "then restart NanoClaw";
            default -> null;
        };
    }

    private String gatewayUrl() throws IOException, InterruptedException {
        if (gatewayOverride.isPresent()) {
            return withQuery(gatewayOverride.get());
        }
        JsonNode g = rest.get("/gateway/bot");
        String url = g == null ? null : text(g, "url");
        if (url == null || !(url.startsWith("wss://") || url.startsWith("ws://"))) {
            throw new IOException("GET /gateway/bot answered without a gateway url");
        }
        JsonNode limit = g.path("session_start_limit");
        if (limit.path("remaining").isNumber() && limit.path("remaining").asInt() == 0) {
            long ms = Math.min(Math.max(limit.path("reset_after").asLong(60_000), 1_000), 86_400_000L);
            String note = "Discord's daily limit of new sessions is used up; waiting " + (ms / 60_000 + 1) + " min";
            LOG.warn(note);
            listener.onStatus(State.CONNECTING, note);
            Thread.sleep(ms);
        }
        return withQuery(url);
    }

    /** v=10 and JSON encoding, unless the URL already names its own query. */
    static String withQuery(String url) {
        if (url.contains("?")) {
            return url;
        }
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return u + "/?v=10&encoding=json";
    }

    private Connection open(String url) throws IOException, InterruptedException {
        Connection c = new Connection();
        current = c;
        CompletableFuture<Void> opened = new CompletableFuture<>();
        WebSocketConnectOptions o = new WebSocketConnectOptions().setAbsoluteURI(url).setConnectTimeout(15_000)
                .setTimeout(30_000);
        client.connect(o).onComplete(ar -> {
            if (ar.failed()) {
                opened.completeExceptionally(ar.cause());
                return;
            }
            c.attach(ar.result());
            opened.complete(null);
        });
        try {
            opened.get(45, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the gateway could not be reached: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the gateway did not answer in 45 s");
        }
        if (!running) {
            c.finish(1000, "stopped", true, false);
        }
        return c;
    }

    private synchronized void clearSession() {
        sessionId = null;
        resumeUrl = null;
        seq = -1;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isValueNode() || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    /** How a connection ended: the close code (-1: none), why, whether we closed it, and whether to resume now. */
    record Outcome(int code, String reason, boolean byUs, boolean immediate) {
        String describe() {
            if (byUs) {
                return reason;
            }
            return code < 0 ? "the connection dropped" + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")")
                    : "gateway closed the connection with " + code
                    + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }

    // ---- one socket ----

    private final class Connection {
        final CompletableFuture<Outcome> closed = new CompletableFuture<>();
        volatile boolean ready;
        private WebSocket ws;
        private boolean helloSeen;
        private boolean acked = true;
        private long beatTimer = -1;
        private long helloTimer = -1;
        private boolean done;

        synchronized void attach(WebSocket socket) {
            ws = socket;
            socket.textMessageHandler(this::onText);
            socket.binaryMessageHandler(b -> LOG.debug("binary gateway frame ignored (JSON encoding expected)"));
            socket.exceptionHandler(e -> LOG.debugf("gateway socket: %s", e.toString()));
            socket.closeHandler(v -> {
                Short code = socket.closeStatusCode();
                finish(code == null ? -1 : code, socket.closeReason(), false, false);
            });
            if (done) {
                socket.close((short) 1000);
                return;
            }
            helloTimer = vertx.setTimer(helloTimeoutMs, id -> {
                synchronized (this) {
                    if (!helloSeen) {
                        finish(RESUMABLE_CLOSE, "no Hello from the gateway in " + helloTimeoutMs / 1000 + " s",
                                true, false);
                    }
                }
            });
        }

        void onText(String text) {
            JsonNode n;
            try {
                n = JSON.readTree(text);
            } catch (IOException e) {
                LOG.debugf("gateway sent something that is not JSON: ignored");
                return;
            }
            if (n == null || !n.isObject()) {
                LOG.debugf("gateway sent JSON that is not an object: ignored");
                return;
            }
            try {
                handle(n);
            } catch (RuntimeException e) {
                LOG.warnf("gateway payload op %s could not be handled: %s", n.path("op"), e.toString());
            }
        }

        private synchronized void handle(JsonNode n) {
            if (done) {
                return; // a late frame on a connection we already gave up
            }
            int op = n.path("op").asInt(-1);
            switch (op) {
                case 10 -> hello(n.path("d"));
                case 11 -> acked = true;
                case 1 -> send(heartbeat()); // Discord asks for a beat now
                case 7 -> finish(RESUMABLE_CLOSE, "Discord asked to reconnect (op 7)", true, true);
                case 9 -> invalidSession(n.path("d").asBoolean(false));
                case 0 -> dispatch(n);
                default -> LOG.debugf("unknown gateway op %d: ignored", op);
            }
        }

        private void hello(JsonNode d) {
            long interval = d.path("heartbeat_interval").asLong(-1);
            if (interval <= 0 || interval > 600_000) {
                finish(RESUMABLE_CLOSE, "Hello without a usable heartbeat_interval", true, false);
                return;
            }
            helloSeen = true;
            vertx.cancelTimer(helloTimer);
            long first = Math.max(1, (long) (interval * ThreadLocalRandom.current().nextDouble()));
            beatTimer = vertx.setTimer(first, id -> {
                tick();
                synchronized (this) {
                    if (!done) {
                        beatTimer = vertx.setPeriodic(interval, id2 -> tick());
                    }
                }
            });
            String sid;
            long s;
            synchronized (DiscordGateway.this) {
                sid = sessionId;
                s = seq;
            }
            if (sid != null && s >= 0) {
                ObjectNode p = JSON.createObjectNode().put("op", 6);
                p.putObject("d").put("token", token).put("session_id", sid).put("seq", s);
                resumes.incrementAndGet();
                send(p);
            } else {
                identify();
            }
        }

        private void identify() {
            clearSession();
            ObjectNode p = JSON.createObjectNode().put("op", 2);
            ObjectNode d = p.putObject("d").put("token", token).put("intents", INTENTS);
            d.putObject("properties").put("os", System.getProperty("os.name", "linux").toLowerCase())
                    .put("browser", "nanoclaw").put("device", "nanoclaw");
            identifies.incrementAndGet();
            send(p);
        }

        private synchronized void tick() {
            if (done) {
                return;
            }
            if (!acked) {
                LOG.warn("Discord gateway: no heartbeat ACK since the last beat: the connection is a zombie");
                finish(RESUMABLE_CLOSE, "no heartbeat ACK (zombie connection)", true, true);
                return;
            }
            acked = false;
            heartbeats.incrementAndGet();
            send(heartbeat());
        }

        private ObjectNode heartbeat() {
            ObjectNode p = JSON.createObjectNode().put("op", 1);
            long s = seq();
            if (s >= 0) {
                p.put("d", s);
            } else {
                p.putNull("d");
            }
            return p;
        }

        private void invalidSession(boolean resumable) {
            if (resumable) {
                finish(RESUMABLE_CLOSE, "invalid session (resumable, op 9)", true, true);
                return;
            }
            clearSession();
            long min = invalidSessionMinMs;
            long wait = min + ThreadLocalRandom.current().nextLong(Math.max(1, invalidSessionMaxMs - min + 1));
            LOG.infof("Discord gateway: session invalidated (op 9); identifying again in %d ms", wait);
            vertx.setTimer(wait, id -> {
                synchronized (this) {
                    if (!done) {
                        identify();
                    }
                }
            });
        }

        private void dispatch(JsonNode n) {
            String t = n.path("t").asText("");
            JsonNode s = n.get("s");
            JsonNode d = n.path("d");
            if (s != null && s.isIntegralNumber()) {
                long sv = s.asLong();
                synchronized (DiscordGateway.this) {
                    if (sv <= seq) {
                        LOG.debugf("gateway event %s with seq %d already seen: skipped", t, sv);
                        return;
                    }
                    seq = sv;
                }
            }
            if ("READY".equals(t)) {
                String sid = text(d, "session_id");
                String rurl = text(d, "resume_gateway_url");
                String uid = d.path("user").isObject() ? text(d.path("user"), "id") : null;
                synchronized (DiscordGateway.this) {
                    sessionId = sid;
                    resumeUrl = rurl;
                }
                if (uid != null) {
                    botUserId = uid;
                }
                ready = true;
                LOG.infof("Discord gateway ready (session started)");
                listener.onStatus(State.CONNECTED, "");
            } else if ("RESUMED".equals(t)) {
                ready = true;
                LOG.infof("Discord gateway session resumed at seq %d", seq());
                listener.onStatus(State.CONNECTED, "");
            }
            if (!t.isEmpty()) {
                listener.onDispatch(t, d);
            }
        }

        private void send(JsonNode payload) {
            WebSocket w = ws;
            if (w != null && !w.isClosed()) {
                w.writeTextMessage(payload.toString());
            }
        }

        synchronized void finish(int code, String reason, boolean byUs, boolean immediate) {
            if (done) {
                return;
            }
            done = true;
            if (beatTimer >= 0) {
                vertx.cancelTimer(beatTimer);
            }
            if (helloTimer >= 0) {
                vertx.cancelTimer(helloTimer);
            }
            closed.complete(new Outcome(code, reason, byUs, immediate));
            WebSocket w = ws;
            if (byUs && w != null && !w.isClosed()) {
                w.close((short) (code == 1000 ? 1000 : RESUMABLE_CLOSE), reason.length() > 100 ? "" : reason);
            }
        }
    }
}
