package io.nanoclaw.host.channels.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.channels.http.Backoff;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Keeps one connection to the signal-cli daemon: connects, checks that the daemon serves our account, reconnects
 * with {@link Backoff} when the connection drops or is refused, and stops for good (FAILED) when the daemon says
 * the account is unknown. Requests add the {@code account} param (needed by a multi-account daemon, ignored by a
 * single-account one) and turn signal-cli's errors into the host's retry classes.
 */
final class SignalLink {
    private static final Logger LOG = Logger.getLogger(SignalLink.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** When a rate-limit error does not say how long to wait. */
    static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(60);
    private static final Pattern RETRY_AFTER = Pattern.compile(
            "(?i)retry[ _-]?after\\D{0,12}(\\d{1,7})\\s*(ms|milliseconds|s|sec|seconds)?");

    private final SignalConfig config;
    private final String account;
    private final ObjectMapper mapper;
    private final Consumer<JsonNode> onNotification;
    private final AtomicLong ids = new AtomicLong();
    private final Object lock = new Object();
    private final Duration firstBackoff;

    private volatile RpcConnection current;
    private volatile boolean running;
    private volatile ChannelStatus.State state = ChannelStatus.State.STOPPED;
    private volatile String detail = "";
    private volatile JsonNode groups;
    private Thread loop;

    SignalLink(SignalConfig config, ObjectMapper mapper, Consumer<JsonNode> onNotification, Duration firstBackoff) {
        this.config = config;
        this.account = config.account().orElseThrow();
        this.mapper = mapper;
        this.onNotification = onNotification;
        this.firstBackoff = firstBackoff;
    }

    void start() {
        running = true;
        state = ChannelStatus.State.CONNECTING;
        detail = "connecting to signal-cli at " + config.address();
        loop = new Thread(this::connectLoop, "signal-connect");
        loop.setDaemon(true);
        loop.start();
    }

    void stop() {
        running = false;
        state = state == ChannelStatus.State.FAILED ? state : ChannelStatus.State.STOPPED;
        RpcConnection c = current;
        if (c != null) {
            c.close();
        }
        synchronized (lock) {
            lock.notifyAll();
        }
        if (loop != null) {
            loop.interrupt();
        }
    }

    ChannelStatus.State state() {
        return state;
    }

    String detail() {
        return detail;
    }

    Duration rpcTimeout() {
        return config.rpcTimeout();
    }

    /** The groups the daemon knew at the last connect ({@code listGroups}), or null. */
    JsonNode groups() {
        return groups;
    }

    private void connectLoop() {
        Backoff backoff = new Backoff(firstBackoff, Duration.ofSeconds(60));
        String lastError = null;
        while (running) {
            String reason;
            try {
                reason = connectOnce(backoff);
            } catch (AccountRejected e) {
                state = ChannelStatus.State.FAILED;
                detail = "signal-cli refused account " + account + ": " + e.getMessage();
                LOG.errorf("Signal channel stopped: %s. Register or link the number with signal-cli (see "
                        + "docs/channels/signal.md) and restart the host.", detail);
                running = false;
                return;
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                reason = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            if (!running) {
                return;
            }
            Duration wait = backoff.next();
            state = ChannelStatus.State.CONNECTING;
            detail = "reconnecting in " + Math.max(1, Math.round(wait.toMillis() / 1000.0)) + " s after: " + reason;
            if (!reason.equals(lastError)) {
                LOG.warnf("Signal: %s", detail);
            } else {
                LOG.debugf("Signal: %s", detail);
            }
            lastError = reason;
            try {
                synchronized (lock) {
                    if (running) {
                        lock.wait(wait.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One connection, from connect to drop. Returns why it ended. */
    private String connectOnce(Backoff backoff) throws IOException, InterruptedException, AccountRejected {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(config.host(), config.port()), (int) CONNECT_TIMEOUT.toMillis());
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to signal-cli at " + config.address() + ": " + e.getMessage(), e);
        }
        RpcConnection c = new RpcConnection(socket, mapper, ids, onNotification);
        c.startReading("signal-read");
        try {
            verify(c);
            subscribe(c);
        } catch (AccountRejected | IOException e) {
            c.close();
            throw e;
        }
        current = c;
        state = ChannelStatus.State.CONNECTED;
        detail = "";
        backoff.reset();
        LOG.infof("Signal channel connected to signal-cli at %s as %s", config.address(), account);
        try {
            return c.awaitClosed();
        } finally {
            current = null;
            c.close();
        }
    }

    /**
     * A cheap call that needs the account: {@code listGroups} (local, no server round trip). A multi-account daemon
     * answers "Specified account does not exist" for a number it does not have.
     */
    private void verify(RpcConnection c) throws IOException, AccountRejected {
        try {
            groups = c.call("listGroups", withAccount(null), config.rpcTimeout());
        } catch (SignalRpcException e) {
            if (e.code() == SignalRpcException.METHOD_NOT_FOUND) {
                LOG.debugf("signal-cli has no listGroups: skipping the account check");
                return;
            }
            String m = e.getMessage().toLowerCase(Locale.ROOT);
            if (e.code() == SignalRpcException.INVALID_PARAMS || e.code() == SignalRpcException.USER_ERROR
                    || m.contains("not registered") || m.contains("does not exist")) {
                throw new AccountRejected(e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Asks for received messages on this connection. With {@code --receive-mode=manual} the daemon only pulls
     * messages from Signal's server while a client is subscribed, so nothing is lost while the host is away; with
     * the default {@code on-start} it pushes them anyway (and to a subscribed client twice: RpcConnection keeps the
     * subscribed copy). A daemon without the method just pushes them.
     */
    private void subscribe(RpcConnection c) throws IOException {
        try {
            c.call("subscribeReceive", withAccount(null), config.rpcTimeout());
        } catch (SignalRpcException e) {
            if (e.code() != SignalRpcException.METHOD_NOT_FOUND) {
                LOG.warnf("signal-cli refused subscribeReceive (%s): relying on the messages it pushes by itself",
                        e.getMessage());
            }
        }
    }

    private ObjectNode withAccount(ObjectNode params) {
        ObjectNode p = params == null ? mapper.createObjectNode() : params;
        p.put("account", account);
        return p;
    }

    /** A request on the live connection; see the class comment for the exceptions. */
    JsonNode call(String method, ObjectNode params) throws IOException {
        return call(method, params, config.rpcTimeout());
    }

    JsonNode call(String method, ObjectNode params, Duration timeout) throws IOException {
        RpcConnection c = connection();
        try {
            return c.call(method, withAccount(params), timeout);
        } catch (SignalRpcException e) {
            throw classify(e);
        }
    }

    /** Fire and forget (typing): errors are only logged. */
    void callQuietly(String method, ObjectNode params) {
        RpcConnection c = current;
        if (c == null) {
            return;
        }
        CompletableFuture<JsonNode> f = c.send(method, withAccount(params));
        f.whenComplete((r, e) -> {
            if (e != null) {
                LOG.debugf("signal-cli %s failed: %s", method, e.getMessage());
            }
        });
    }

    private RpcConnection connection() throws IOException {
        RpcConnection c = current;
        if (c != null && c.isOpen()) {
            return c;
        }
        if (state == ChannelStatus.State.FAILED) {
            throw new IOException("the Signal channel is stopped: " + detail);
        }
        throw new PlatformUnavailableException("signal-cli is not connected"
                + (detail.isEmpty() ? "" : " (" + detail + ")"), null);
    }

    /**
     * signal-cli has no HTTP 429: it reports Signal's rate limit (HTTP 413/429 from the server) as an error whose
     * message says "rate limit" (code -5 in newer versions), sometimes with the send results in
     * {@code data.response.results[].retryAfterSeconds}.
     */
    static IOException classify(SignalRpcException e) {
        if (isRateLimit(e)) {
            return new RateLimitedException(e.getMessage(), retryAfter(e.getMessage(), e.data()));
        }
        if (e.code() == -3) { // signal-cli's IO error: the Signal server could not be reached
            return new PlatformUnavailableException(e.getMessage(), e);
        }
        return e;
    }

    static boolean isRateLimit(SignalRpcException e) {
        String m = e.getMessage().toLowerCase(Locale.ROOT);
        return e.code() == SignalRpcException.RATE_LIMIT_ERROR || m.contains("rate limit")
                || m.contains("ratelimit") || m.contains("too many requests");
    }

    /** The wait from the results' {@code retryAfterSeconds}, else "retry after N" in the text, else a minute. */
    static Duration retryAfter(String message, JsonNode data) {
        long best = -1;
        if (data != null) {
            for (JsonNode r : data.path("response").path("results")) {
                if (r.path("retryAfterSeconds").canConvertToLong()) {
                    best = Math.max(best, r.path("retryAfterSeconds").asLong());
                }
            }
        }
        if (best >= 0) {
            return Duration.ofSeconds(Math.max(1, best));
        }
        Matcher m = RETRY_AFTER.matcher(message == null ? "" : message);
        if (m.find()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            return unit.startsWith("m") ? Duration.ofMillis(Math.max(1000, n)) : Duration.ofSeconds(Math.max(1, n));
        }
        return DEFAULT_RATE_LIMIT_WAIT;
    }

    /** The daemon answered but will not serve this account: no point reconnecting. */
    static final class AccountRejected extends Exception {
        AccountRejected(String message) {
            super(message);
        }
    }
}
