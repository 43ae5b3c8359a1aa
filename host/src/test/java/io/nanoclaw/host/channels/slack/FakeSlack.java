package io.nanoclaw.host.channels.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slack on loopback, speaking its wire protocol: the Web API methods the adapter uses (POST, Bearer token, JSON or
 * form bodies, HTTP 200 with {@code ok:false} for refusals), the Socket Mode WebSocket that apps.connections.open
 * hands out (single-use ticket, {@code hello}, envelopes that must be acked with their {@code envelope_id} and are
 * re-sent when not acked within 3 s, {@code disconnect} messages), the pre-signed upload URL, and private file URLs
 * that need the bot token. Switches make it fail like the real one: 502s, 429 with Retry-After, a dropped socket.
 * It records every call and ack for the tests to check.
 */
public final class FakeSlack implements AutoCloseable {
    public static final String BOT_TOKEN = "xoxb-fake-bot-token";
    public static final String APP_TOKEN = "xapp-1-fake-app-token";
    public static final String BOT_ID = "UBOT0001";
    public static final String BOT_NAME = "andy";

    /** Methods that take a JSON body; the others take form fields only (as Slack documents them). */
    static final Set<String> JSON_METHODS = Set.of("auth.test", "chat.postMessage", "chat.update", "reactions.add",
            "conversations.open", "files.completeUploadExternal");

    /** One Web API call as it arrived. {@code args} holds the JSON body or the form fields. */
    public record Call(String method, String token, String contentType, JsonNode args, int status, long at) {}

    /** One Socket Mode connection. */
    public static final class Conn {
        public final int n;
        final ServerWebSocket ws;
        public final long openedAt = System.currentTimeMillis();
        public volatile long closedAt;
        public volatile boolean closedByServer;
        volatile boolean dropped;

        Conn(int n, ServerWebSocket ws) {
            this.n = n;
            this.ws = ws;
        }

        public boolean open() {
            return closedAt == 0;
        }
    }

    private static final class Pending {
        final String envelopeId;
        final ObjectNode envelope;
        volatile long lastSent;
        volatile int attempts;

        Pending(String envelopeId, ObjectNode envelope) {
            this.envelopeId = envelopeId;
            this.envelope = envelope;
        }
    }

    /** A scripted failure for the next call(s) of one method. */
    private record Failure(int status, String retryAfter, String okFalseError) {}

    private final ObjectMapper mapper = new ObjectMapper();
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final int port;
    public final List<Call> calls = new CopyOnWriteArrayList<>();
    public final List<Conn> connections = new CopyOnWriteArrayList<>();
    /** envelope ids acked, in order (an id twice means the adapter acked a re-send). */
    public final List<String> acks = new CopyOnWriteArrayList<>();
    /** Every envelope sent, re-sends included, as {@code <envelope_id>#<attempt>}. */
    public final List<String> sends = new CopyOnWriteArrayList<>();
    public final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    public final Map<String, byte[]> uploads = new ConcurrentHashMap<>();
    public final Map<String, String> uploadNames = new ConcurrentHashMap<>();
    public final Map<String, byte[]> files = new ConcurrentHashMap<>();
    public final List<String> downloads = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Failure>> failures = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Set<String> tickets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connCounter = new AtomicInteger();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicLong tsCounter = new AtomicLong();
    private volatile boolean dropAfterNextSend;
    public final Map<String, JsonNode> users = new ConcurrentHashMap<>();

    public FakeSlack() throws Exception {
        server = vertx.createHttpServer().webSocketHandler(this::onSocket).requestHandler(this::onRequest);
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
        vertx.setPeriodic(200, t -> resendDue());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String apiBaseUrl() {
        return baseUrl() + "/api";
    }

    // ---- switches -------------------------------------------------------------------------------------------

    /** The next {@code count} calls of {@code method} answer this HTTP status (with Retry-After when given). */
    public void failNext(String method, int status, String retryAfter, int count) {
        Queue<Failure> q = failures.computeIfAbsent(method, k -> new ConcurrentLinkedQueue<>());
        for (int i = 0; i < count; i++) {
            q.add(new Failure(status, retryAfter, null));
        }
    }

    /** The next call of {@code method} answers HTTP 200 {@code {ok:false, error}}. */
    public void refuseNext(String method, String error) {
        failures.computeIfAbsent(method, k -> new ConcurrentLinkedQueue<>()).add(new Failure(200, null, error));
    }

    /** The socket is closed right after the next envelope is written: its ack can't arrive, so it is re-sent. */
    public void dropAfterNextSend() {
        dropAfterNextSend = true;
    }

    /** Closes the current socket now, as a network drop would. */
    public void dropNow() {
        Conn c = current();
        if (c != null) {
            vertx.runOnContext(v -> drop(c));
        }
    }

    /** Slack's {@code {"type":"disconnect","reason":…}} on the current connection. */
    public void sendDisconnect(String reason) {
        ObjectNode n = mapper.createObjectNode().put("type", "disconnect").put("reason", reason);
        n.putObject("debug_info").put("host", "fake-applink-1");
        sendRaw(n.toString());
    }

    /** Any text frame, as is, on the current connection. */
    public void sendRaw(String text) {
        Conn c = current();
        if (c != null) {
            vertx.runOnContext(v -> c.ws.writeTextMessage(text));
        }
    }

    // ---- envelopes ------------------------------------------------------------------------------------------

    public String nextTs() {
        long n = tsCounter.incrementAndGet();
        return String.format("%d.%06d", 1_760_000_000L + n, n);
    }

    /** An events_api envelope around {@code event}; returns its envelope_id. */
    public String sendEvent(ObjectNode event) {
        String eventId = "Ev" + String.format("%08d", counter.incrementAndGet());
        ObjectNode payload = mapper.createObjectNode().put("token", "verification-token").put("team_id", "T0001")
                .put("api_app_id", "A0001");
        payload.set("event", event);
        payload.put("type", "event_callback").put("event_id", eventId).put("event_time", 1_760_000_000L);
        payload.putArray("authorizations").addObject().put("team_id", "T0001").put("user_id", BOT_ID)
                .put("is_bot", true);
        return enqueue("events_api", payload);
    }

    /** A user's message event; returns its ts. */
    public String sendMessage(String channel, String channelType, String user, String text, String threadTs) {
        ObjectNode e = messageEvent(channel, channelType, user, text, threadTs);
        sendEvent(e);
        return e.path("ts").asText();
    }

    public ObjectNode messageEvent(String channel, String channelType, String user, String text, String threadTs) {
        String ts = nextTs();
        ObjectNode e = mapper.createObjectNode().put("type", "message").put("channel", channel).put("user", user)
                .put("text", text).put("ts", ts).put("event_ts", ts).put("channel_type", channelType)
                .put("client_msg_id", UUID.randomUUID().toString()).put("team", "T0001");
        if (threadTs != null) {
            e.put("thread_ts", threadTs);
        }
        return e;
    }

    /** A block_actions click as an interactive envelope; returns its envelope_id. */
    public String sendClick(String channel, String messageTs, String threadTs, String userId, String userName,
                            String actionId) {
        ObjectNode p = mapper.createObjectNode().put("type", "block_actions");
        p.putObject("user").put("id", userId).put("username", userName).put("name", userName)
                .put("team_id", "T0001");
        p.put("api_app_id", "A0001").put("token", "verification-token").put("trigger_id", "123.456.abc");
        ObjectNode container = p.putObject("container").put("type", "message").put("message_ts", messageTs)
                .put("channel_id", channel).put("is_ephemeral", false);
        if (threadTs != null) {
            container.put("thread_ts", threadTs);
        }
        p.putObject("team").put("id", "T0001").put("domain", "fake");
        p.putObject("channel").put("id", channel).put("name", "general");
        ObjectNode msg = messages.get(messageTs);
        if (msg != null) {
            p.set("message", msg.deepCopy());
        }
        p.put("response_url", baseUrl() + "/actions/T0001/1/abc");
        p.putArray("actions").addObject().put("action_id", actionId).put("block_id", "ncq-0")
                .put("value", actionId).put("type", "button").put("action_ts", nextTs())
                .putObject("text").put("type", "plain_text").put("text", "x");
        return enqueue("interactive", p);
    }

    public String enqueue(String type, ObjectNode payload) {
        String id = UUID.randomUUID().toString();
        ObjectNode env = mapper.createObjectNode().put("envelope_id", id).put("type", type);
        env.set("payload", payload);
        env.put("accepts_response_payload", false);
        if (type.equals("events_api")) {
            env.put("retry_attempt", 0).put("retry_reason", "");
        }
        pending.put(id, new Pending(id, env));
        vertx.runOnContext(v -> resendDue());
        return id;
    }

    public boolean acked(String envelopeId) {
        return acks.contains(envelopeId);
    }

    public int pendingCount() {
        return pending.size();
    }

    private void resendDue() {
        Conn c = current();
        if (c == null) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Pending p : pending.values()) {
            if (p.lastSent != 0 && now - p.lastSent < 3000) {
                continue;
            }
            if (p.attempts > 0 && p.envelope.has("retry_attempt")) {
                p.envelope.put("retry_attempt", p.attempts).put("retry_reason", "timeout");
            }
            p.attempts++;
            p.lastSent = now;
            sends.add(p.envelopeId + "#" + p.attempts);
            c.ws.writeTextMessage(p.envelope.toString());
            if (dropAfterNextSend) {
                dropAfterNextSend = false;
                drop(c);
                return;
            }
        }
    }

    /** The newest open connection that got its hello: where Slack sends. */
    public Conn current() {
        for (int i = connections.size() - 1; i >= 0; i--) {
            Conn c = connections.get(i);
            if (c.open() && !c.dropped) {
                return c;
            }
        }
        return null;
    }

    public long openConnections() {
        return connections.stream().filter(Conn::open).count();
    }

    private void drop(Conn c) {
        c.dropped = true;
        c.closedByServer = true;
        c.ws.close((short) 1011, "fake: connection dropped");
    }

    // ---- Socket Mode ----------------------------------------------------------------------------------------

    private void onSocket(ServerWebSocket ws) {
        String query = ws.query() == null ? "" : ws.query();
        String ticket = form(query).path("ticket").asText("");
        if (!ws.path().startsWith("/link") || !tickets.remove(ticket)) {
            ws.reject(401); // a ticket is good for one connection
            return;
        }
        Conn c = new Conn(connCounter.incrementAndGet(), ws);
        connections.add(c);
        ws.textMessageHandler(text -> {
            if (c.dropped) {
                return; // the network lost it
            }
            try {
                JsonNode n = mapper.readTree(text);
                String id = n.path("envelope_id").asText("");
                if (!id.isEmpty()) {
                    acks.add(id);
                    pending.remove(id);
                }
            } catch (Exception e) {
                // a client frame that is not JSON: Slack ignores it too
            }
        });
        ws.closeHandler(v -> c.closedAt = System.currentTimeMillis());
        ObjectNode hello = mapper.createObjectNode().put("type", "hello")
                .put("num_connections", (int) openConnections());
        hello.putObject("debug_info").put("host", "fake-applink-1").put("build_number", 1)
                .put("approximate_connection_time", 18060);
        hello.putObject("connection_info").put("app_id", "A0001");
        ws.writeTextMessage(hello.toString());
        resendDue();
    }

    // ---- Web API --------------------------------------------------------------------------------------------

    private void onRequest(HttpServerRequest req) {
        String path = req.path();
        if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            // An upgrade that reached the request handler (seen when other Vert.x servers ran in this JVM before):
            // take it as the socket it asks for.
            req.toWebSocket().onSuccess(this::onSocket).onFailure(e -> { });
            return;
        }
        req.body().onSuccess(body -> {
            try {
                if (path.startsWith("/api/") && req.method().name().equals("POST")) {
                    api(req, path.substring(5), body);
                } else if (path.startsWith("/upload/v1/") && req.method().name().equals("POST")) {
                    String fileId = path.substring("/upload/v1/".length());
                    if (!uploadNames.containsKey(fileId)) {
                        req.response().setStatusCode(404).end("not found");
                        return;
                    }
                    uploads.put(fileId, body.getBytes());
                    req.response().setStatusCode(200).end("OK - " + body.length());
                } else if (path.startsWith("/files-pri/") && req.method().name().equals("GET")) {
                    download(req, path);
                } else {
                    req.response().setStatusCode(404).end("not found");
                }
            } catch (Exception e) {
                req.response().setStatusCode(500).end(String.valueOf(e));
            }
        });
    }

    private void download(HttpServerRequest req, String path) {
        String fileId = path.substring("/files-pri/".length()).split("/")[0];
        String auth = req.getHeader("Authorization");
        downloads.add(fileId + (("Bearer " + BOT_TOKEN).equals(auth) ? "" : " (no token)"));
        if (!("Bearer " + BOT_TOKEN).equals(auth)) {
            // Slack sends a browser to its sign-in page
            req.response().setStatusCode(302).putHeader("Location", baseUrl() + "/signin").end();
            return;
        }
        byte[] data = files.get(fileId);
        if (data == null) {
            req.response().setStatusCode(404).end();
            return;
        }
        req.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(data));
    }

    /** A file as Slack lists it in a message's {@code files}, served at a private URL. */
    public ObjectNode privateFile(String name, String mimeType, byte[] data, long claimedSize) {
        String id = "F" + String.format("%08d", counter.incrementAndGet());
        files.put(id, data);
        return mapper.createObjectNode().put("id", id).put("name", name).put("title", name)
                .put("mimetype", mimeType).put("filetype", "png").put("size", claimedSize).put("mode", "hosted")
                .put("url_private", baseUrl() + "/files-pri/" + id + "/" + name)
                .put("url_private_download", baseUrl() + "/files-pri/" + id + "/download/" + name);
    }

    private void api(HttpServerRequest req, String method, Buffer body) {
        String auth = req.getHeader("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        String type = req.getHeader("Content-Type") == null ? "" : req.getHeader("Content-Type");
        JsonNode args;
        boolean json = type.startsWith("application/json");
        try {
            args = json ? mapper.readTree(body.getBytes()) : form(body.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            args = mapper.createObjectNode();
        }
        if (args == null) {
            args = mapper.createObjectNode();
        }
        Failure f = failures.getOrDefault(method, new ConcurrentLinkedQueue<>()).poll();
        if (f != null && f.okFalseError() == null) {
            calls.add(new Call(method, token, type, args, f.status(), System.currentTimeMillis()));
            HttpServerResponse r = req.response().setStatusCode(f.status());
            if (f.retryAfter() != null) {
                r.putHeader("Retry-After", f.retryAfter());
            }
            r.end(f.status() == 429 ? "" : "<html>Bad Gateway</html>");
            return;
        }
        calls.add(new Call(method, token, type, args, 200, System.currentTimeMillis()));
        ObjectNode answer;
        if (f != null) {
            answer = error(f.okFalseError());
        } else if (token == null) {
            answer = error("not_authed");
        } else if (method.equals("apps.connections.open")) {
            answer = token.equals(APP_TOKEN) ? connectionsOpen()
                    : token.startsWith("xox") ? error("not_allowed_token_type") : error("invalid_auth");
        } else if (!token.equals(BOT_TOKEN)) {
            answer = token.startsWith("xapp-") ? error("not_allowed_token_type") : error("invalid_auth");
        } else if (json && !JSON_METHODS.contains(method)) {
            answer = error("invalid_arguments"); // this method reads form fields only
        } else {
            answer = method(method, (ObjectNode) args);
        }
        req.response().putHeader("Content-Type", "application/json; charset=utf-8").end(answer.toString());
    }

    private ObjectNode connectionsOpen() {
        String ticket = UUID.randomUUID().toString();
        tickets.add(ticket);
        return ok().put("url", "ws://127.0.0.1:" + port + "/link/?ticket=" + ticket + "&app_id=A0001");
    }

    private ObjectNode method(String method, ObjectNode a) {
        switch (method) {
            case "auth.test":
                return ok().put("url", "https://fake.slack.com/").put("team", "Fake Team").put("user", BOT_NAME)
                        .put("team_id", "T0001").put("user_id", BOT_ID).put("bot_id", "B0001");
            case "chat.postMessage": {
                String channel = a.path("channel").asText("");
                if (channel.isEmpty()) {
                    return error("channel_not_found");
                }
                if (a.path("text").asText("").isEmpty() && !a.path("blocks").isArray()) {
                    return error("no_text");
                }
                String problem = checkBlocks(a.path("blocks"));
                if (problem != null) {
                    return error("invalid_blocks").put("detail", problem);
                }
                String ts = nextTs();
                ObjectNode m = mapper.createObjectNode().put("type", "message").put("user", BOT_ID)
                        .put("bot_id", "B0001").put("text", a.path("text").asText("")).put("ts", ts)
                        .put("channel", channel);
                if (a.has("blocks")) {
                    m.set("blocks", a.get("blocks"));
                }
                if (a.hasNonNull("thread_ts")) {
                    m.put("thread_ts", a.get("thread_ts").asText());
                }
                messages.put(ts, m);
                return ok().put("channel", channel).put("ts", ts).set("message", m);
            }
            case "chat.update": {
                ObjectNode m = messages.get(a.path("ts").asText(""));
                if (m == null || !m.path("channel").asText().equals(a.path("channel").asText())) {
                    return error("message_not_found");
                }
                m.put("text", a.path("text").asText(""));
                if (a.has("blocks")) {
                    m.set("blocks", a.get("blocks"));
                }
                return ok().put("channel", m.path("channel").asText()).put("ts", m.path("ts").asText())
                        .put("text", m.path("text").asText());
            }
            case "reactions.add": {
                String name = a.path("name").asText("");
                if (!name.matches("[a-z0-9_+'-]+")) {
                    return error("invalid_name");
                }
                if (a.path("timestamp").asText("").isEmpty() || a.path("channel").asText("").isEmpty()) {
                    return error("no_item_specified");
                }
                return ok();
            }
            case "users.info": {
                JsonNode u = users.get(a.path("user").asText(""));
                return u == null ? error("user_not_found") : (ObjectNode) ok().set("user", u);
            }
            case "conversations.open":
                return (ObjectNode) ok().set("channel", mapper.createObjectNode().put("id",
                        "D" + a.path("users").asText("").replace("U", "")));
            case "conversations.info":
                return (ObjectNode) ok().set("channel", mapper.createObjectNode().put("id",
                        a.path("channel").asText()).put("name", "general").put("is_channel", true));
            case "files.getUploadURLExternal": {
                String name = a.path("filename").asText("");
                long length = a.path("length").asLong(0);
                if (name.isEmpty() || length <= 0) {
                    return error("missing_argument");
                }
                String id = "F" + String.format("%08d", counter.incrementAndGet());
                uploadNames.put(id, name);
                return ok().put("upload_url", baseUrl() + "/upload/v1/" + id).put("file_id", id);
            }
            case "files.completeUploadExternal": {
                JsonNode list = a.path("files");
                if (!list.isArray() || list.isEmpty()) {
                    return error("invalid_arguments");
                }
                String channel = a.path("channel_id").asText("");
                String ts = nextTs();
                ArrayNode out = mapper.createArrayNode();
                for (JsonNode f : list) {
                    String id = f.path("id").asText();
                    if (!uploads.containsKey(id)) {
                        return error("file_not_found");
                    }
                    ObjectNode o = out.addObject().put("id", id).put("name", uploadNames.get(id))
                            .put("title", f.path("title").asText(uploadNames.get(id)));
                    o.putObject("shares").putObject("public").putArray(channel).addObject().put("ts", ts);
                }
                ObjectNode m = mapper.createObjectNode().put("type", "message").put("user", BOT_ID)
                        .put("text", a.path("initial_comment").asText("")).put("ts", ts).put("channel", channel);
                if (a.hasNonNull("thread_ts")) {
                    m.put("thread_ts", a.get("thread_ts").asText());
                }
                m.set("files", out);
                messages.put(ts, m);
                return (ObjectNode) ok().set("files", out);
            }
            default:
                return error("unknown_method");
        }
    }

    /** What Slack's block validation would refuse for the blocks the adapter builds. */
    private static String checkBlocks(JsonNode blocks) {
        if (blocks == null || blocks.isMissingNode() || blocks.isNull()) {
            return null;
        }
        if (!blocks.isArray() || blocks.size() > 50) {
            return "blocks must be an array of at most 50";
        }
        java.util.Set<String> actionIds = new java.util.HashSet<>();
        for (JsonNode b : blocks) {
            String t = b.path("type").asText();
            if (t.equals("section")) {
                if (b.path("text").path("text").asText().length() > 3000) {
                    return "section text over 3000";
                }
            } else if (t.equals("actions")) {
                JsonNode els = b.path("elements");
                if (!els.isArray() || els.isEmpty() || els.size() > 25) {
                    return "actions needs 1 to 25 elements";
                }
                for (JsonNode e : els) {
                    String id = e.path("action_id").asText("");
                    if (id.isEmpty() || id.length() > 255 || !actionIds.add(id)) {
                        return "action_id missing, too long or repeated";
                    }
                    if (e.path("text").path("text").asText().length() > 75
                            || !e.path("text").path("type").asText().equals("plain_text")) {
                        return "button text must be plain_text of at most 75";
                    }
                    if (e.path("value").asText().length() > 2000) {
                        return "value over 2000";
                    }
                }
            } else {
                return "unexpected block type " + t;
            }
        }
        return null;
    }

    private ObjectNode ok() {
        return mapper.createObjectNode().put("ok", true);
    }

    private ObjectNode error(String error) {
        return mapper.createObjectNode().put("ok", false).put("error", error);
    }

    private ObjectNode form(String body) {
        ObjectNode n = mapper.createObjectNode();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            n.put(k, v);
        }
        return n;
    }

    // ---- what the tests read ---------------------------------------------------------------------------------

    public List<Call> calls(String method) {
        List<Call> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.method().equals(method)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Successful calls of a method (HTTP 200, whatever ok said). */
    public List<Call> answered(String method) {
        return calls(method).stream().filter(c -> c.status() == 200).toList();
    }

    public void addUser(String id, String displayName) {
        ObjectNode u = mapper.createObjectNode().put("id", id).put("name", displayName.toLowerCase())
                .put("real_name", displayName);
        u.putObject("profile").put("display_name", displayName).put("real_name", displayName);
        users.put(id, u);
    }

    @Override
    public void close() {
        vertx.close();
    }
}
