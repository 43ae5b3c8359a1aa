package io.nanoclaw.host.channels.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A signal-cli daemon as {@code signal-cli daemon --tcp 127.0.0.1:PORT} (multi-account mode) shows itself to a
 * client: newline-delimited JSON-RPC 2.0 on a plain TCP socket, on loopback only. Requests are answered like
 * signal-cli answers them ({@code {"jsonrpc":"2.0","result":…,"id":N}} or an {@code error} object), received
 * messages are pushed as {@code receive} notifications. In {@link ReceiveMode#MANUAL} (the recommended
 * {@code --receive-mode=manual}) messages go, wrapped in {@code {subscription, result}}, only to a client that
 * called {@code subscribeReceive}, and wait (on "Signal's server") while there is none; in
 * {@link ReceiveMode#ON_START} every message is pushed plain, plus wrapped to a subscribed client, as signal-cli's
 * per-connection handlers do. Switches: drop the connection, refuse connections for a while, reject
 * the account, delay answers, rate-limit sends, lack a method (an older signal-cli).
 */
public final class FakeSignalDaemon implements AutoCloseable {
    /** signal-cli's own data URI pattern for attachments (RFC 2397 plus a filename parameter). */
    static final Pattern DATA_URI = Pattern.compile(
            "\\Adata:(?<type>.+?/.+?)?(?<parameters>;.+?=.+?)?(?<base64>;base64)?,(?<data>.+)\\z",
            Pattern.CASE_INSENSITIVE);

    private final ObjectMapper mapper = new ObjectMapper();
    private final String account;
    private final int port;
    private volatile ServerSocket server;
    private volatile boolean closed;
    private volatile Client current;
    private final Deque<String> waiting = new ArrayDeque<>();
    private final AtomicLong clock = new AtomicLong(1_760_000_000_000L);

    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();
    public enum ReceiveMode { MANUAL, ON_START }

    public volatile ReceiveMode receiveMode = ReceiveMode.MANUAL;
    private final AtomicInteger subscriptions = new AtomicInteger();
    public final Map<String, byte[]> attachments = new ConcurrentHashMap<>();
    public final Set<String> missingMethods = ConcurrentHashMap.newKeySet();
    public volatile ArrayNode groups;
    public volatile long delayMs;
    /** Set: every request is answered with this error, as a daemon that does not have the account. */
    public volatile JsonNode accountError;
    private final AtomicInteger rateLimitedSends = new AtomicInteger();
    private volatile JsonNode rateLimitError;

    private final class Client {
        final Socket socket;
        final OutputStream out;
        volatile Integer subscription;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        synchronized void write(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    public FakeSignalDaemon(String account) throws IOException {
        this.account = account;
        this.groups = mapper.createArrayNode();
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = s.getLocalPort();
        this.server = s;
        startAccepting(s);
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public long now() {
        return clock.incrementAndGet();
    }

    private void startAccepting(ServerSocket s) {
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket sock = s.accept();
                    Client c = new Client(sock);
                    connections.incrementAndGet();
                    Thread r = new Thread(() -> serve(c), "fake-signal-client");
                    r.setDaemon(true);
                    r.start();
                    synchronized (waiting) {
                        current = c;
                        if (receiveMode == ReceiveMode.ON_START) {
                            flush(c);
                        }
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-signal-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Sends what waited, in order; called with the lock on {@code waiting}. */
    private void flush(Client c) {
        while (!waiting.isEmpty()) {
            try {
                for (String line : render(waiting.peekFirst(), c)) {
                    c.write(line);
                }
                waiting.removeFirst();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** A pushed event as this client gets it: plain and/or wrapped in its subscription. */
    private List<String> render(String event, Client c) {
        if (!event.startsWith("{\"envelope\"")) {
            return List.of(event); // a raw line
        }
        List<String> out = new java.util.ArrayList<>();
        if (receiveMode == ReceiveMode.ON_START) {
            out.add("{\"jsonrpc\":\"2.0\",\"method\":\"receive\",\"params\":" + event + "}");
        }
        if (c.subscription != null) {
            out.add("{\"jsonrpc\":\"2.0\",\"method\":\"receive\",\"params\":{\"subscription\":"
                    + c.subscription + ",\"result\":" + event + "}}");
        }
        return out;
    }

    private boolean canReceive(Client c) {
        return c != null && (receiveMode == ReceiveMode.ON_START || c.subscription != null);
    }

    private void serve(Client c) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.socket.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String reply = answer(line, c);
                if (reply != null) {
                    long d = delayMs;
                    if (d > 0) {
                        Thread.sleep(d);
                    }
                    c.write(reply);
                }
            }
        } catch (IOException | InterruptedException e) {
            // client gone
        } finally {
            synchronized (waiting) {
                if (current == c) {
                    current = null;
                }
            }
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private String answer(String line, Client c) {
        JsonNode req;
        try {
            req = mapper.readTree(line);
        } catch (IOException e) {
            return error(null, -32700, "Failed to parse request", null);
        }
        requests.add(req);
        JsonNode id = req.get("id");
        String method = req.path("method").asText("");
        if (method.isEmpty()) {
            return error(id, -32600, "method field must be set", null);
        }
        JsonNode params = req.path("params");
        if (accountError != null) {
            return error(id, accountError.path("code").asInt(), accountError.path("message").asText(), null);
        }
        if (params.has("account") && !account.equals(params.path("account").asText())) {
            return error(id, -32602, "Specified account does not exist", null);
        }
        if (missingMethods.contains(method)) {
            return error(id, -32601, "Method not implemented", null);
        }
        switch (method) {
            case "version":
                return result(id, mapper.createObjectNode().put("version", "0.13.22"));
            case "listGroups":
                return result(id, groups);
            case "sendTyping":
                return result(id, mapper.createObjectNode());
            case "subscribeReceive": {
                int sub = subscriptions.getAndIncrement();
                String reply = result(id, mapper.getNodeFactory().numberNode(sub));
                synchronized (waiting) {
                    try {
                        c.write(reply); // the answer first, then what waited for a subscriber
                    } catch (IOException e) {
                        return null;
                    }
                    c.subscription = sub;
                    if (current == c) {
                        flush(c);
                    }
                }
                return null;
            }
            case "getAttachment": {
                byte[] data = attachments.get(params.path("id").asText());
                if (data == null) {
                    return error(id, -1, "Attachment not found", null);
                }
                return result(id, mapper.createObjectNode().put("data", Base64.getEncoder().encodeToString(data)));
            }
            case "send":
            case "sendReaction": {
                String bad = validate(method, params);
                if (bad != null) {
                    return error(id, -1, bad, null);
                }
                if (rateLimitedSends.get() > 0 && rateLimitedSends.decrementAndGet() >= 0) {
                    JsonNode e = rateLimitError;
                    return error(id, e.path("code").asInt(), e.path("message").asText(),
                            e.get("data") == null || e.get("data").isNull() ? null : e.get("data"));
                }
                return result(id, sendResult(params));
            }
            default:
                return error(id, -32601, "Method not implemented", null);
        }
    }

    private String validate(String method, JsonNode p) {
        boolean hasTarget = p.path("recipient").isArray() && !p.path("recipient").isEmpty()
                || p.path("recipient").isTextual() || p.path("groupId").isTextual();
        if (!hasTarget) {
            return "No recipients given";
        }
        if (method.equals("sendReaction")) {
            if (!p.path("emoji").isTextual() || !p.path("targetAuthor").isTextual()
                    || !p.path("targetTimestamp").canConvertToLong()) {
                return "Missing emoji, targetAuthor or targetTimestamp";
            }
            return null;
        }
        for (JsonNode a : p.path("attachments")) {
            if (!DATA_URI.matcher(a.asText()).matches()) {
                return "Failed to send message: " + a.asText() + " (FileNotFoundException)";
            }
        }
        boolean empty = p.path("message").asText("").isEmpty() && p.path("attachments").isEmpty();
        return empty ? "Sending empty message is not allowed, either a message, attachment or sticker must be given."
                : null;
    }

    private ObjectNode sendResult(JsonNode params) {
        ObjectNode r = mapper.createObjectNode().put("timestamp", now());
        ArrayNode results = r.putArray("results");
        if (params.path("groupId").isTextual()) {
            results.addObject().put("type", "SUCCESS").put("groupId", params.path("groupId").asText())
                    .putObject("recipientAddress").put("uuid", "aaaaaaaa-0000-4000-8000-000000000001")
                    .put("number", "+15559990001");
        } else {
            for (JsonNode rcpt : params.path("recipient").isArray() ? params.path("recipient")
                    : mapper.createArrayNode().add(params.path("recipient"))) {
                results.addObject().put("type", "SUCCESS").putObject("recipientAddress")
                        .put("uuid", "bbbbbbbb-0000-4000-8000-000000000002").put("number", rcpt.asText());
            }
        }
        return r;
    }

    private String result(JsonNode id, JsonNode result) {
        ObjectNode n = mapper.createObjectNode().put("jsonrpc", "2.0");
        n.set("result", result);
        n.set("id", id);
        return n.toString();
    }

    private String error(JsonNode id, int code, String message, JsonNode data) {
        ObjectNode n = mapper.createObjectNode().put("jsonrpc", "2.0");
        ObjectNode e = n.putObject("error").put("code", code).put("message", message);
        e.set("data", data);
        n.set("id", id);
        return n.toString();
    }

    // ---- what tests do ----

    /** A received message, as signal-cli pushes it in {@code --receive-mode=on-start|on-connection}. */
    public void push(JsonNode envelope) {
        ObjectNode event = mapper.createObjectNode();
        event.set("envelope", envelope);
        event.put("account", account);
        enqueue(event.toString());
    }

    /** Any line, sent as is (or kept for the next client). */
    public void pushRaw(String line) {
        enqueue(line);
    }

    private void enqueue(String event) {
        synchronized (waiting) {
            waiting.addLast(event);
            Client c = current;
            if (canReceive(c)) {
                flush(c);
            }
        }
    }

    /** Closes the connection to the client, as a daemon restart or a network blip does. */
    public void dropConnections() {
        synchronized (waiting) {
            Client c = current;
            current = null;
            if (c != null) {
                try {
                    c.socket.close();
                } catch (IOException ignored) {
                    // closed anyway
                }
            }
        }
    }

    /** Drops the client and refuses connections (nothing listens on the port) for a while, then listens again. */
    public void refuseFor(Duration d) throws IOException {
        server.close();
        dropConnections();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(d.toMillis());
                if (closed) {
                    return;
                }
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                server = s;
                startAccepting(s);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("the fake signal-cli could not listen again on " + port, e);
            }
        }, "fake-signal-relisten");
        t.setDaemon(true);
        t.start();
    }

    /** The next {@code n} sends/reactions fail with this signal-cli error (a rate limit). */
    public void rateLimitNext(int n, int code, String message, JsonNode data) {
        ObjectNode e = mapper.createObjectNode().put("code", code).put("message", message);
        e.set("data", data);
        rateLimitError = e;
        rateLimitedSends.set(n);
    }

    public List<JsonNode> requests(String method) {
        return requests.stream().filter(r -> method.equals(r.path("method").asText())).toList();
    }

    public boolean hasClient() {
        return current != null;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        dropConnections();
    }
}
