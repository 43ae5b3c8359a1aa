package io.nanoclaw.host.channels.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Discord on loopback: REST v10 under {@code /api/v10} and the Gateway v10 (JSON encoding) at {@code /gateway},
 * speaking the real wire shapes: op/d/s/t payloads, Hello → Identify/Resume → READY/RESUMED, heartbeats and ACKs,
 * sequence numbers, and missed events replayed on Resume as Discord does. Records every request and gateway payload.
 * Switches simulate outages and refusals: 502s, 429s with Retry-After and JSON retry_after, exhausted buckets, a
 * dropped socket, a silent (zombie) connection, op 7, op 9, and close codes 4004 / 4014 for chosen tokens.
 */
public final class FakeDiscord implements AutoCloseable {
    public static final String TOKEN = "fake-bot-token.0123456789";
    public static final String BOT_ID = "900000000000000001";
    public static final String BOT_NAME = "NanoBot";
    /** Tokens the REST API accepts but the gateway closes with 4004 / refuses the privileged intent for. */
    public static final String GATEWAY_REJECTED_TOKEN = "gateway-rejected-token";
    public static final String NO_INTENT_TOKEN = "no-message-content-token";
    static final int MESSAGE_CONTENT = 1 << 15;

    private final ObjectMapper json = new ObjectMapper();
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final int port;

    public volatile long heartbeatIntervalMs = 1_000;

    public record Part(String name, String filename, String contentType, byte[] data) {}

    public record Req(String method, String path, Map<String, String> headers, String body, JsonNode json,
                      List<Part> parts, Map<String, String> form, long atNanos, int status) {}

    public final List<Req> requests = new CopyOnWriteArrayList<>();
    /** Every payload a client sent on the gateway, in order. */
    public final List<JsonNode> gatewayReceived = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();
    public final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    public final Map<String, ObjectNode> channels = new ConcurrentHashMap<>();
    public final Map<String, byte[]> cdn = new ConcurrentHashMap<>();
    public final Set<String> restTokens = ConcurrentHashMap.newKeySet();

    private final Map<String, Deque<Integer>> failures = new ConcurrentHashMap<>();
    private final Map<String, Deque<Double>> rateLimits = new ConcurrentHashMap<>();
    private final Map<String, Double> exhaust = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(950_000_000_000_000_000L);

    private final class Session {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final String token;
        long seq;
        final List<String> log = new ArrayList<>(); // index i holds the payload with s = i + 1
        Conn conn;

        Session(String token) {
            this.token = token;
        }
    }

    private final class Conn {
        final HttpServerRequest req;
        final ServerWebSocket ws;
        Session session;
        volatile boolean silent;
        volatile boolean open = true;

        Conn(HttpServerRequest req, ServerWebSocket ws) {
            this.req = req;
            this.ws = ws;
        }
    }

    private final Map<String, Session> sessions = new HashMap<>();
    private Session main;

    public FakeDiscord() throws Exception {
        restTokens.add(TOKEN);
        restTokens.add(GATEWAY_REJECTED_TOKEN);
        restTokens.add(NO_INTENT_TOKEN);
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                        .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(16 << 20))
                .requestHandler(this::request);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    public String apiBase() {
        return "http://127.0.0.1:" + port + "/api/v10";
    }

    public String cdnUrl(String name) {
        return "http://127.0.0.1:" + port + "/cdn/attachments/" + name;
    }

    @Override
    public void close() {
        vertx.close();
    }

    // ---- switches ----

    /** The next {@code times} calls to this route answer {@code status} (502: Bad Gateway, as Cloudflare does). */
    public void failNext(String method, String path, int status, int times) {
        Deque<Integer> q = failures.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
        synchronized (q) {
            for (int i = 0; i < times; i++) {
                q.add(status);
            }
        }
    }

    /** The next call to this route is a 429 asking to wait {@code seconds}. */
    public void rateLimitNext(String method, String path, double seconds) {
        Deque<Double> q = rateLimits.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
        synchronized (q) {
            q.add(seconds);
        }
    }

    /** The next success on this route says its bucket is empty for {@code seconds}. */
    public void exhaustBucket(String method, String path, double seconds) {
        exhaust.put(method + " " + path, seconds);
    }

    /** The main bot's live connection (other tokens' connections never count), or null. */
    private synchronized Conn mainConn() {
        return main != null && main.conn != null && main.conn.open ? main.conn : null;
    }

    public synchronized void dropSocket() {
        Conn c = mainConn();
        if (c != null) {
            c.open = false;
            c.req.connection().close(); // TCP gone, no close frame: what a lost uplink looks like
        }
    }

    /** The bot's connection stops answering heartbeats (a zombie); new connections answer again. */
    public void goSilent() {
        Conn c = mainConn();
        if (c != null) {
            c.silent = true;
        }
    }

    public synchronized void sendRaw(String text) {
        Conn c = mainConn();
        if (c != null) {
            c.ws.writeTextMessage(text);
        }
    }

    /** op 7 Reconnect. */
    public void requestReconnect() {
        sendRaw("{\"op\":7,\"d\":null,\"s\":null,\"t\":null}");
    }

    /** op 9 Invalid Session, not resumable: the session is gone. */
    public synchronized void invalidateSession() {
        if (main != null) {
            sessions.remove(main.id);
        }
        sendRaw("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}");
    }

    public synchronized void closeWith(int code) {
        Conn c = mainConn();
        if (c != null) {
            c.open = false;
            c.ws.close((short) code);
        }
    }

    /**
     * A dispatch on the main bot session: gets the next sequence number, is logged for replay, and is sent now if
     * the bot is connected (else on Resume). Returns its sequence number.
     */
    public long dispatch(String type, JsonNode d) {
        return dispatch(type, d, false);
    }

    /** The same, split into several WebSocket frames (continuation frames), as large payloads can be. */
    public synchronized long dispatch(String type, JsonNode d, boolean fragmented) {
        if (main == null) {
            throw new IllegalStateException("no bot session yet");
        }
        Session s = main;
        long seq = ++s.seq;
        ObjectNode p = json.createObjectNode().put("op", 0).put("s", seq).put("t", type);
        p.set("d", d);
        String text = p.toString();
        s.log.add(text);
        if (s.conn != null && s.conn.open) {
            if (fragmented) {
                writeFragmented(s.conn.ws, text);
            } else {
                s.conn.ws.writeTextMessage(text);
            }
        }
        return seq;
    }

    public synchronized String mainSessionId() {
        return main == null ? null : main.id;
    }

    public synchronized boolean botOnline() {
        return mainConn() != null;
    }

    private static void writeFragmented(ServerWebSocket ws, String text) {
        int n = Math.max(1, text.length() / 3);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i += n) {
            parts.add(text.substring(i, Math.min(text.length(), i + n)));
        }
        for (int i = 0; i < parts.size(); i++) {
            Buffer b = Buffer.buffer(parts.get(i), "UTF-8");
            boolean fin = i == parts.size() - 1;
            ws.writeFrame(i == 0 ? WebSocketFrame.textFrame(parts.get(i), fin)
                    : WebSocketFrame.continuationFrame(b, fin));
        }
    }

    public List<Req> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    public List<JsonNode> gatewayOps(int op) {
        return gatewayReceived.stream().filter(n -> n.path("op").asInt() == op).toList();
    }

    // ---- HTTP ----

    private void request(HttpServerRequest req) {
        String path = req.path();
        if (path.startsWith("/gateway")) {
            gateway(req);
            return;
        }
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
        String ct = headers.getOrDefault("content-type", "");
        List<Part> parts = new CopyOnWriteArrayList<>();
        if (ct.startsWith("multipart/form-data")) {
            req.setExpectMultipart(true);
            req.uploadHandler(up -> {
                Buffer data = Buffer.buffer();
                up.handler(data::appendBuffer);
                up.endHandler(v -> parts.add(new Part(up.name(), up.filename(), up.contentType(), data.getBytes())));
            });
            req.endHandler(v -> {
                Map<String, String> form = new HashMap<>();
                req.formAttributes().forEach(e -> form.put(e.getKey(), e.getValue()));
                JsonNode payload = null;
                try {
                    payload = form.containsKey("payload_json") ? json.readTree(form.get("payload_json")) : null;
                } catch (Exception ignored) {
                    // recorded as null: the test sees it
                }
                route(req, path, headers, "", payload, parts, form);
            });
        } else {
            req.body().onSuccess(b -> {
                String body = b.toString(StandardCharsets.UTF_8);
                JsonNode n = null;
                try {
                    n = body.isEmpty() ? null : json.readTree(body);
                } catch (Exception ignored) {
                    // not JSON
                }
                route(req, path, headers, body, n, List.of(), Map.of());
            });
        }
    }

    private void route(HttpServerRequest req, String path, Map<String, String> headers, String body, JsonNode n,
                       List<Part> parts, Map<String, String> form) {
        String method = req.method().name();
        long at = System.nanoTime();
        if (path.startsWith("/cdn/")) {
            byte[] data = cdn.get(path.substring("/cdn/attachments/".length()));
            int status = data == null ? 404 : 200;
            requests.add(new Req(method, path, headers, body, n, parts, form, at, status));
            if (data == null) {
                req.response().setStatusCode(404).end();
            } else {
                req.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(data));
            }
            return;
        }
        if (!path.startsWith("/api/v10/")) {
            reply(req, 404, error(0, "404: Not Found"), method, path, headers, body, n, parts, form, at);
            return;
        }
        String p = path.substring("/api/v10".length());
        String key = method + " " + p;
        Deque<Integer> fq = failures.get(key);
        Integer fail = null;
        if (fq != null) {
            synchronized (fq) {
                fail = fq.poll();
            }
        }
        if (fail != null) {
            requests.add(new Req(method, p, headers, body, n, parts, form, at, fail));
            req.response().setStatusCode(fail).putHeader("Content-Type", "text/html")
                    .end("<html><body>" + fail + " Bad Gateway</body></html>");
            return;
        }
        Deque<Double> rq = rateLimits.get(key);
        Double wait = null;
        if (rq != null) {
            synchronized (rq) {
                wait = rq.poll();
            }
        }
        if (wait != null) {
            requests.add(new Req(method, p, headers, body, n, parts, form, at, 429));
            ObjectNode e = json.createObjectNode().put("message", "You are being rate limited.")
                    .put("retry_after", wait).put("global", false);
            req.response().setStatusCode(429).putHeader("Content-Type", "application/json")
                    .putHeader("Retry-After", String.valueOf((long) Math.ceil(wait)))
                    .putHeader("X-RateLimit-Limit", "5").putHeader("X-RateLimit-Remaining", "0")
                    .putHeader("X-RateLimit-Reset-After", String.valueOf(wait))
                    .putHeader("X-RateLimit-Scope", "user").end(e.toString());
            return;
        }
        boolean interaction = p.startsWith("/interactions/");
        if (!interaction) {
            String auth = headers.getOrDefault("authorization", "");
            if (!auth.startsWith("Bot ") || !restTokens.contains(auth.substring(4))) {
                reply(req, 401, error(0, "401: Unauthorized"), method, p, headers, body, n, parts, form, at);
                return;
            }
        }
        String[] seg = p.substring(1).split("/");
        JsonNode out;
        int status = 200;
        if (method.equals("GET") && p.equals("/users/@me")) {
            out = user(BOT_ID, BOT_NAME, true);
        } else if (method.equals("GET") && p.equals("/gateway/bot")) {
            ObjectNode g = json.createObjectNode().put("url", "ws://127.0.0.1:" + port + "/gateway").put("shards", 1);
            g.putObject("session_start_limit").put("total", 1000).put("remaining", 999).put("reset_after", 14400000)
                    .put("max_concurrency", 1);
            out = g;
        } else if (method.equals("POST") && p.equals("/users/@me/channels")) {
            String rid = n == null ? "" : n.path("recipient_id").asText();
            ObjectNode ch = json.createObjectNode().put("id", "77" + rid.substring(Math.max(0, rid.length() - 16)))
                    .put("type", 1);
            ch.putArray("recipients").add(user(rid, "someone", false));
            out = ch;
        } else if (interaction && method.equals("POST") && seg.length == 4 && seg[3].equals("callback")) {
            out = null;
            status = 204;
        } else if (seg.length >= 2 && seg[0].equals("channels")) {
            String cid = seg[1];
            if (method.equals("GET") && seg.length == 2) {
                out = channels.get(cid);
                if (out == null) {
                    reply(req, 404, error(10003, "Unknown Channel"), method, p, headers, body, n, parts, form, at);
                    return;
                }
            } else if (method.equals("POST") && seg.length == 3 && seg[2].equals("typing")) {
                out = null;
                status = 204;
            } else if (method.equals("POST") && seg.length == 3 && seg[2].equals("messages")) {
                JsonNode payload = n;
                if (payload == null || !payload.isObject()) {
                    reply(req, 400, error(50109, "The request body contains invalid JSON."), method, p, headers,
                            body, n, parts, form, at);
                    return;
                }
                String content = payload.path("content").asText("");
                if (content.length() > 2000) {
                    reply(req, 400, error(50035, "Invalid Form Body"), method, p, headers, body, n, parts, form, at);
                    return;
                }
                if (content.isEmpty() && parts.isEmpty() && !payload.has("components")) {
                    reply(req, 400, error(50006, "Cannot send an empty message"), method, p, headers, body, n,
                            parts, form, at);
                    return;
                }
                String mid = String.valueOf(ids.incrementAndGet());
                ObjectNode m = message(mid, cid, null, BOT_ID, BOT_NAME, true, content);
                if (payload.has("components")) {
                    m.set("components", payload.get("components"));
                }
                ArrayNode atts = m.putArray("attachments");
                for (Part part : parts) {
                    atts.addObject().put("id", String.valueOf(ids.incrementAndGet())).put("filename", part.filename())
                            .put("size", part.data().length).put("url", cdnUrl(mid + "-" + part.filename()));
                }
                messages.put(mid, m);
                out = m;
            } else if (method.equals("PATCH") && seg.length == 4 && seg[2].equals("messages")) {
                ObjectNode m = messages.get(seg[3]);
                if (m == null || !m.path("channel_id").asText().equals(cid)) {
                    reply(req, 404, error(10008, "Unknown Message"), method, p, headers, body, n, parts, form, at);
                    return;
                }
                if (n != null && n.has("content")) {
                    m.put("content", n.path("content").asText());
                }
                if (n != null && n.has("components")) {
                    m.set("components", n.get("components"));
                }
                m.put("edited_timestamp", Instant.now().toString());
                out = m;
            } else if (method.equals("PUT") && seg.length == 7 && seg[4].equals("reactions") && seg[6].equals("@me")) {
                out = null;
                status = 204;
            } else {
                reply(req, 404, error(0, "404: Not Found"), method, p, headers, body, n, parts, form, at);
                return;
            }
        } else {
            reply(req, 404, error(0, "404: Not Found"), method, p, headers, body, n, parts, form, at);
            return;
        }
        Double exhausted = exhaust.remove(key);
        req.response().putHeader("X-RateLimit-Limit", "5")
                .putHeader("X-RateLimit-Remaining", exhausted != null ? "0" : "4")
                .putHeader("X-RateLimit-Reset-After", String.valueOf(exhausted != null ? exhausted : 1.0))
                .putHeader("X-RateLimit-Bucket", Integer.toHexString(key.hashCode()));
        reply(req, status, out, method, p, headers, body, n, parts, form, at);
    }

    private void reply(HttpServerRequest req, int status, JsonNode out, String method, String p,
                       Map<String, String> headers, String body, JsonNode n, List<Part> parts,
                       Map<String, String> form, long at) {
        requests.add(new Req(method, p, headers, body, n, parts, form, at, status));
        req.response().setStatusCode(status);
        if (out == null) {
            req.response().end();
        } else {
            req.response().putHeader("Content-Type", "application/json").end(out.toString());
        }
    }

    private ObjectNode error(int code, String message) {
        return json.createObjectNode().put("message", message).put("code", code);
    }

    // ---- payload builders (the shapes Discord sends) ----

    public ObjectNode user(String id, String username, boolean bot) {
        ObjectNode u = json.createObjectNode().put("id", id).put("username", username).put("discriminator", "0")
                .put("global_name", bot ? null : username.substring(0, 1).toUpperCase() + username.substring(1))
                .putNull("avatar");
        if (bot) {
            u.put("bot", true);
        }
        return u;
    }

    public ObjectNode message(String id, String channelId, String guildId, String authorId, String username,
                              boolean bot, String content) {
        ObjectNode m = json.createObjectNode().put("id", id).put("type", 0).put("channel_id", channelId)
                .put("content", content).put("timestamp", "2026-03-01T10:00:00.000000+00:00")
                .putNull("edited_timestamp").put("tts", false).put("mention_everyone", false).put("pinned", false);
        if (guildId != null) {
            m.put("guild_id", guildId);
            m.putObject("member").putNull("nick").putArray("roles");
        }
        m.set("author", user(authorId, username, bot));
        m.putArray("mentions");
        m.putArray("mention_roles");
        m.putArray("attachments");
        m.putArray("embeds");
        m.putArray("components");
        return m;
    }

    public ObjectNode channel(String id, int type, String guildId, String parentId, String name) {
        ObjectNode c = json.createObjectNode().put("id", id).put("type", type).put("guild_id", guildId)
                .put("name", name);
        if (parentId != null) {
            c.put("parent_id", parentId);
        } else {
            c.putNull("parent_id");
        }
        return c;
    }

    public String nextId() {
        return String.valueOf(ids.incrementAndGet());
    }

    // ---- gateway ----

    private void gateway(HttpServerRequest req) {
        boolean versionOk = "10".equals(req.getParam("v")) && "json".equals(req.getParam("encoding"));
        req.toWebSocket().onSuccess(ws -> {
            connections.incrementAndGet();
            Conn c = new Conn(req, ws);
            ws.closeHandler(v -> c.open = false);
            if (!versionOk) {
                c.open = false;
                ws.close((short) 4012, "Invalid API version");
                return;
            }
            ws.textMessageHandler(text -> onClient(c, text));
            ws.writeTextMessage("{\"op\":10,\"d\":{\"heartbeat_interval\":" + heartbeatIntervalMs
                    + "},\"s\":null,\"t\":null}");
        });
    }

    private synchronized void onClient(Conn c, String text) {
        JsonNode n;
        try {
            n = json.readTree(text);
        } catch (Exception e) {
            c.open = false;
            c.ws.close((short) 4002, "Error while decoding payload.");
            return;
        }
        gatewayReceived.add(n);
        if (!c.open) {
            return;
        }
        switch (n.path("op").asInt(-1)) {
            case 1 -> {
                if (!c.silent) {
                    c.ws.writeTextMessage("{\"op\":11,\"d\":null,\"s\":null,\"t\":null}");
                }
            }
            case 2 -> identify(c, n.path("d"));
            case 6 -> resume(c, n.path("d"));
            default -> {
                c.open = false;
                c.ws.close((short) 4001, "Unknown opcode.");
            }
        }
    }

    private void identify(Conn c, JsonNode d) {
        String token = d.path("token").asText();
        if (!restTokens.contains(token) || token.equals(GATEWAY_REJECTED_TOKEN)) {
            c.open = false;
            c.ws.close((short) 4004, "Authentication failed.");
            return;
        }
        if (token.equals(NO_INTENT_TOKEN) && (d.path("intents").asInt() & MESSAGE_CONTENT) != 0) {
            c.open = false;
            c.ws.close((short) 4014, "Disallowed intent(s).");
            return;
        }
        Session s = new Session(token);
        sessions.put(s.id, s);
        s.conn = c;
        c.session = s;
        if (token.equals(TOKEN)) {
            main = s;
        }
        ObjectNode ready = json.createObjectNode().put("v", 10);
        ready.set("user", user(BOT_ID, BOT_NAME, true));
        ready.putArray("guilds");
        ready.put("session_id", s.id).put("resume_gateway_url", "ws://127.0.0.1:" + port + "/gateway-resume");
        ready.putArray("shard").add(0).add(1);
        ready.putObject("application").put("id", BOT_ID).put("flags", 0);
        long seq = ++s.seq;
        ObjectNode p = json.createObjectNode().put("op", 0).put("s", seq).put("t", "READY");
        p.set("d", ready);
        s.log.add(p.toString());
        c.ws.writeTextMessage(p.toString());
    }

    private void resume(Conn c, JsonNode d) {
        Session s = sessions.get(d.path("session_id").asText());
        long from = d.path("seq").asLong(-1);
        if (s == null || !s.token.equals(d.path("token").asText()) || from < 0 || from > s.seq) {
            c.ws.writeTextMessage("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}");
            return;
        }
        if (s.conn != null && s.conn != c && s.conn.open) {
            s.conn.open = false;
            s.conn.ws.close((short) 4000);
        }
        s.conn = c;
        c.session = s;
        for (long i = from + 1; i <= s.seq; i++) {
            c.ws.writeTextMessage(s.log.get((int) (i - 1)));
        }
        long seq = ++s.seq;
        ObjectNode p = json.createObjectNode().put("op", 0).put("s", seq).put("t", "RESUMED");
        p.putObject("d");
        s.log.add(p.toString());
        c.ws.writeTextMessage(p.toString());
    }
}
