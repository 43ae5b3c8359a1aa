package io.nanoclaw.host.channels.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A Telegram Bot API server on 127.0.0.1 for tests: {@code /bot<token>/<method>} with the real {@code {ok, result}}
 * envelopes, field names and error shapes, real long polling for getUpdates (the request is held until an update is
 * queued or the timeout passes; updates below {@code offset} are confirmed and dropped; a newer poll ends an older
 * one with 409, as Telegram does), file downloads under {@code /file/bot<token>/<path>} and multipart uploads.
 * Switches: an outage (every call answers 502), and a one-off 429 with {@code retry_after} per method. Every request
 * is recorded.
 */
public final class FakeTelegram implements AutoCloseable {
    public static final String TOKEN = "123456:fake-token_ABC";
    public static final long BOT_ID = 777000111L;
    public static final String BOT_USERNAME = "nano_test_bot";
    static final long MAX_DOWNLOAD = 20L << 20;

    /** One request as the fake saw it: method, parameters (JSON, form or query), uploaded files, answer status. */
    public record Request(String method, String token, ObjectNode params, Map<String, Upload> files, int status,
                          long atMillis, JsonNode response) {
        /** The {@code result} of a successful call (the sent message, for sendMessage). */
        public JsonNode result() {
            return response == null ? null : response.get("result");
        }

        public String param(String name) {
            JsonNode n = params.get(name);
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    public record Upload(String fileName, String contentType, byte[] data) {}

    private record StoredFile(String fileId, String path, byte[] data) {}

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-telegram");
        t.setDaemon(true);
        return t;
    });
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    private final Deque<ObjectNode> updates = new ArrayDeque<>();
    private long nextUpdateId = 500_000;
    private long pollSeq;
    private final AtomicLong nextMessageId = new AtomicLong(9_000);
    private final AtomicInteger nextFile = new AtomicInteger();
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final Map<String, String> sentTexts = new ConcurrentHashMap<>();
    private final Set<String> callbackIds = ConcurrentHashMap.newKeySet();
    private final Set<Long> blockedChats = ConcurrentHashMap.newKeySet();
    private final Set<Long> unknownChats = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> rateLimited = new ConcurrentHashMap<>();
    private volatile boolean outage;

    private static FakeTelegram shared;

    /** The one fake the Quarkus test profile points the host at, started on first use. */
    public static synchronized FakeTelegram shared() {
        if (shared == null) {
            try {
                shared = new FakeTelegram();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    public FakeTelegram() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------ switches and builders for tests

    public void outage(boolean on) {
        outage = on;
    }

    /** The next call of this method answers 429 with {@code retry_after}. */
    public void rateLimitNext(String method, int retryAfterSeconds) {
        rateLimited.put(method, retryAfterSeconds);
    }

    public void block(long chatId) {
        blockedChats.add(chatId);
    }

    public void forget(long chatId) {
        unknownChats.add(chatId);
    }

    /** Queues an update ({@code update_id} is assigned) and wakes a held poll. @return the update id */
    public long push(String kind, JsonNode payload) {
        ObjectNode u = mapper.createObjectNode();
        synchronized (lock) {
            long id = nextUpdateId++;
            u.put("update_id", id);
            if (kind != null) {
                u.set(kind, payload);
            }
            updates.addLast(u);
            lock.notifyAll();
            return id;
        }
    }

    /** Queues a raw update as given, with the next update id. */
    public long pushRaw(ObjectNode partial) {
        synchronized (lock) {
            long id = nextUpdateId++;
            ObjectNode u = mapper.createObjectNode().put("update_id", id);
            u.setAll(partial);
            updates.addLast(u);
            lock.notifyAll();
            return id;
        }
    }

    public ObjectNode user(long id, String first, String last, String username) {
        ObjectNode u = mapper.createObjectNode().put("id", id).put("is_bot", false).put("first_name", first);
        if (last != null) {
            u.put("last_name", last);
        }
        if (username != null) {
            u.put("username", username);
        }
        return u;
    }

    public ObjectNode botUser() {
        return mapper.createObjectNode().put("id", BOT_ID).put("is_bot", true).put("first_name", "Nano")
                .put("username", BOT_USERNAME);
    }

    /** A message from {@code from} in a chat ({@code private} chats have the user's id as chat id). */
    public ObjectNode message(long chatId, String chatType, ObjectNode from, String text) {
        ObjectNode chat = mapper.createObjectNode().put("id", chatId).put("type", chatType);
        if (chatType.equals("private")) {
            chat.put("first_name", from.path("first_name").asText());
        } else {
            chat.put("title", "Group " + chatId);
        }
        ObjectNode m = mapper.createObjectNode().put("message_id", nextMessageId.incrementAndGet());
        m.set("from", from);
        m.set("chat", chat);
        m.put("date", System.currentTimeMillis() / 1000);
        if (text != null) {
            m.put("text", text);
        }
        return m;
    }

    /** Stores a file the bot can fetch with getFile; returns its file_id. */
    public String addFile(String path, byte[] data) {
        String id = "file-" + nextFile.incrementAndGet();
        files.put(id, new StoredFile(id, path, data));
        return id;
    }

    /** Queues a button click on {@code message} (as sent by the bot); returns the callback query id. */
    public String click(ObjectNode from, JsonNode message, String data) {
        String id = "cbq-" + nextFile.incrementAndGet();
        callbackIds.add(id);
        ObjectNode cq = mapper.createObjectNode().put("id", id);
        cq.set("from", from);
        cq.set("message", message);
        cq.put("chat_instance", "ci-1");
        if (data != null) {
            cq.put("data", data);
        }
        push("callback_query", cq);
        return id;
    }

    public List<Request> calls(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    public List<Request> calls(String method, Predicate<Request> p) {
        return requests.stream().filter(r -> r.method().equals(method) && p.test(r)).toList();
    }

    /** Successful calls of a method to a chat. */
    public List<Request> sent(String method, long chatId) {
        return calls(method, r -> r.status() == 200 && String.valueOf(chatId).equals(r.param("chat_id")));
    }

    /** Updates still held (not yet confirmed by an offset). */
    public int pending() {
        synchronized (lock) {
            return updates.size();
        }
    }

    // ------------------------------------------------------------ the server

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (path.startsWith("/file/bot")) {
                serveFile(ex, path.substring("/file/bot".length()));
                return;
            }
            if (!path.startsWith("/bot")) {
                send(ex, 404, error(404, "Not Found"));
                return;
            }
            String rest = path.substring(4);
            int slash = rest.indexOf('/');
            String token = slash < 0 ? rest : rest.substring(0, slash);
            String method = slash < 0 ? "" : rest.substring(slash + 1);
            Map<String, Upload> uploads = new LinkedHashMap<>();
            ObjectNode params = params(ex, body, uploads);
            int[] status = {200};
            long at = System.currentTimeMillis();
            try {
                JsonNode answer = answer(token, method, params, uploads, status);
                requests.add(new Request(method, token, params, uploads, status[0], at, answer));
                send(ex, status[0], answer);
            } catch (Outage o) {
                requests.add(new Request(method, token, params, uploads, 502, at, null));
                byte[] html = "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/html");
                ex.sendResponseHeaders(502, html.length);
                ex.getResponseBody().write(html);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away (a long poll ended by a restart): nothing to answer
        }
    }

    private static final class Outage extends Exception {}

    private JsonNode answer(String token, String method, ObjectNode p, Map<String, Upload> uploads, int[] status)
            throws Outage {
        if (outage) {
            throw new Outage();
        }
        if (!TOKEN.equals(token)) {
            status[0] = 401;
            return error(401, "Unauthorized");
        }
        Integer wait = rateLimited.remove(method);
        if (wait != null) {
            status[0] = 429;
            ObjectNode e = error(429, "Too Many Requests: retry after " + wait);
            e.putObject("parameters").put("retry_after", wait);
            return e;
        }
        JsonNode chatId = p.get("chat_id");
        if (chatId != null && method.matches("send.*|edit.*|setMessageReaction|getChat")) {
            long id = chatId.asLong();
            if (blockedChats.contains(id)) {
                status[0] = 403;
                return error(403, "Forbidden: bot was blocked by the user");
            }
            if (unknownChats.contains(id)) {
                status[0] = 400;
                return error(400, "Bad Request: chat not found");
            }
        }
        return switch (method) {
            case "getMe" -> ok(botUser().put("can_join_groups", true).put("can_read_all_group_messages", false)
                    .put("supports_inline_queries", false));
            case "getUpdates" -> getUpdates(p, status);
            case "sendMessage" -> sendMessage(p, status);
            case "editMessageText" -> editMessageText(p, status);
            case "setMessageReaction" -> setMessageReaction(p, status);
            case "sendChatAction" -> p.hasNonNull("chat_id") && p.hasNonNull("action") ? ok(mapper.getNodeFactory()
                    .booleanNode(true)) : bad(status, "Bad Request: chat_id and action are required");
            case "answerCallbackQuery" -> callbackIds.remove(p.path("callback_query_id").asText(""))
                    ? ok(mapper.getNodeFactory().booleanNode(true))
                    : bad(status, "Bad Request: query is too old and response timeout expired or query ID is "
                            + "invalid");
            case "getFile" -> getFile(p, status);
            case "sendDocument", "sendPhoto" -> sendFile(method, p, uploads, status);
            case "getChat" -> ok(mapper.createObjectNode().put("id", p.path("chat_id").asLong())
                    .put("type", "group").put("title", "Group " + p.path("chat_id").asText()));
            case "deleteWebhook" -> ok(mapper.getNodeFactory().booleanNode(true));
            default -> {
                status[0] = 404;
                yield error(404, "Not Found");
            }
        };
    }

    private JsonNode getUpdates(ObjectNode p, int[] status) {
        long offset = p.path("offset").asLong(0);
        long timeoutMs = Math.max(0, p.path("timeout").asLong(0)) * 1000;
        int limit = p.path("limit").asInt(100);
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (lock) {
            long mySeq = ++pollSeq;
            lock.notifyAll(); // an older held poll ends with a conflict
            while (true) {
                if (offset > 0) {
                    while (!updates.isEmpty() && updates.peekFirst().path("update_id").asLong() < offset) {
                        updates.removeFirst(); // confirmed
                    }
                }
                if (pollSeq != mySeq) {
                    status[0] = 409;
                    return error(409, "Conflict: terminated by other getUpdates request; make sure that only one "
                            + "bot instance is running");
                }
                if (!updates.isEmpty() || outage) {
                    break;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            ArrayNode out = mapper.createArrayNode();
            if (!outage) {
                for (ObjectNode u : updates) {
                    if (out.size() >= limit) {
                        break;
                    }
                    out.add(u);
                }
            }
            return ok(out);
        }
    }

    private JsonNode sendMessage(ObjectNode p, int[] status) {
        String text = p.path("text").asText("");
        if (!p.hasNonNull("chat_id")) {
            return bad(status, "Bad Request: chat_id is empty");
        }
        if (text.isEmpty()) {
            return bad(status, "Bad Request: message text is empty");
        }
        if (text.length() > 4096) {
            return bad(status, "Bad Request: message is too long");
        }
        for (JsonNode row : p.path("reply_markup").path("inline_keyboard")) {
            for (JsonNode b : row) {
                if (b.path("callback_data").asText("").getBytes(StandardCharsets.UTF_8).length > 64) {
                    return bad(status, "Bad Request: BUTTON_DATA_INVALID");
                }
            }
        }
        ObjectNode m = botMessage(p);
        m.put("text", text);
        if (p.has("reply_markup")) {
            m.set("reply_markup", p.get("reply_markup"));
        }
        sentTexts.put(p.path("chat_id").asText() + ":" + m.path("message_id").asText(), text);
        return ok(m);
    }

    private JsonNode editMessageText(ObjectNode p, int[] status) {
        String key = p.path("chat_id").asText() + ":" + p.path("message_id").asText();
        String old = sentTexts.get(key);
        if (old == null) {
            return bad(status, "Bad Request: message to edit not found");
        }
        String text = p.path("text").asText("");
        if (text.isEmpty()) {
            return bad(status, "Bad Request: message text is empty");
        }
        sentTexts.put(key, text);
        ObjectNode m = botMessage(p);
        m.put("message_id", p.path("message_id").asLong());
        m.put("text", text);
        m.put("edit_date", System.currentTimeMillis() / 1000);
        return ok(m);
    }

    private JsonNode setMessageReaction(ObjectNode p, int[] status) {
        if (!p.path("message_id").isIntegralNumber() && !p.path("message_id").asText("").matches("[0-9]+")) {
            return bad(status, "Bad Request: message_id is required");
        }
        for (JsonNode r : p.path("reaction")) {
            if (!"emoji".equals(r.path("type").asText()) || r.path("emoji").asText("").isEmpty()) {
                return bad(status, "Bad Request: REACTION_INVALID");
            }
        }
        return ok(mapper.getNodeFactory().booleanNode(true));
    }

    private JsonNode getFile(ObjectNode p, int[] status) {
        StoredFile f = files.get(p.path("file_id").asText(""));
        if (f == null) {
            return bad(status, "Bad Request: invalid file_id");
        }
        if (f.data().length > MAX_DOWNLOAD) {
            return bad(status, "Bad Request: file is too big");
        }
        return ok(mapper.createObjectNode().put("file_id", f.fileId()).put("file_unique_id", "u" + f.fileId())
                .put("file_size", f.data().length).put("file_path", f.path()));
    }

    private JsonNode sendFile(String method, ObjectNode p, Map<String, Upload> uploads, int[] status) {
        String field = method.equals("sendPhoto") ? "photo" : "document";
        Upload u = uploads.get(field);
        if (u == null) {
            return bad(status, "Bad Request: there is no " + field + " in the request");
        }
        if (p.path("caption").asText("").length() > 1024) {
            return bad(status, "Bad Request: message caption is too long");
        }
        ObjectNode m = botMessage(p);
        String fileId = addFile(field + "s/" + u.fileName(), u.data());
        if (field.equals("photo")) {
            m.putArray("photo").addObject().put("file_id", fileId).put("file_unique_id", "u" + fileId)
                    .put("file_size", u.data().length).put("width", 10).put("height", 10);
        } else {
            m.putObject("document").put("file_id", fileId).put("file_unique_id", "u" + fileId)
                    .put("file_name", u.fileName()).put("mime_type", u.contentType())
                    .put("file_size", u.data().length);
        }
        if (p.hasNonNull("caption")) {
            m.put("caption", p.get("caption").asText());
        }
        return ok(m);
    }

    private ObjectNode botMessage(ObjectNode p) {
        ObjectNode m = mapper.createObjectNode().put("message_id", nextMessageId.incrementAndGet());
        m.set("from", botUser());
        long chatId = p.path("chat_id").asLong();
        m.putObject("chat").put("id", chatId).put("type", chatId > 0 ? "private" : "supergroup");
        m.put("date", System.currentTimeMillis() / 1000);
        if (p.hasNonNull("message_thread_id")) {
            m.put("message_thread_id", p.path("message_thread_id").asLong());
            m.put("is_topic_message", true);
        }
        return m;
    }

    private void serveFile(HttpExchange ex, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String token = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
        requests.add(new Request("file", token, mapper.createObjectNode().put("path", path), Map.of(),
                outage ? 502 : 200, System.currentTimeMillis(), null));
        if (outage) {
            ex.sendResponseHeaders(502, -1);
            return;
        }
        if (!TOKEN.equals(token)) {
            send(ex, 401, error(401, "Unauthorized"));
            return;
        }
        StoredFile f = files.values().stream().filter(s -> s.path().equals(path)).findFirst().orElse(null);
        if (f == null) {
            send(ex, 404, error(404, "Not Found"));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, f.data().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(f.data());
        }
    }

    // ------------------------------------------------------------ request parsing and envelopes

    private ObjectNode params(HttpExchange ex, byte[] body, Map<String, Upload> uploads) throws IOException {
        ObjectNode p = mapper.createObjectNode();
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            form(p, query);
        }
        String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
        if (type.startsWith("application/json") && body.length > 0) {
            JsonNode n = mapper.readTree(body);
            if (n != null && n.isObject()) {
                p.setAll((ObjectNode) n);
            }
        } else if (type.startsWith("application/x-www-form-urlencoded")) {
            form(p, new String(body, StandardCharsets.UTF_8));
        } else if (type.startsWith("multipart/form-data")) {
            multipart(p, uploads, body, type.substring(type.indexOf("boundary=") + 9));
        }
        return p;
    }

    private static void form(ObjectNode p, String s) {
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                p.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
    }

    /** A small multipart/form-data parser: text fields into params, file parts into uploads. */
    static void multipart(ObjectNode p, Map<String, Upload> uploads, byte[] body, String boundary) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<Integer> marks = new ArrayList<>();
        for (int i = 0; i + delim.length <= body.length; i++) {
            if (matches(body, i, delim)) {
                marks.add(i);
                i += delim.length - 1;
            }
        }
        for (int k = 0; k + 1 < marks.size(); k++) {
            int start = marks.get(k) + delim.length + 2; // past the boundary and CRLF
            int end = marks.get(k + 1) - 2; // before the CRLF that precedes the next boundary
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            if (headEnd < 0 || headEnd > end) {
                continue;
            }
            String head = new String(body, start, headEnd - start, StandardCharsets.UTF_8);
            byte[] data = java.util.Arrays.copyOfRange(body, headEnd + 4, end);
            String name = attr(head, "name");
            String fileName = attr(head, "filename");
            String ctype = null;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-type:")) {
                    ctype = line.substring(13).strip();
                }
            }
            if (fileName != null) {
                uploads.put(name, new Upload(fileName, ctype, data));
            } else if (name != null) {
                p.put(name, new String(data, StandardCharsets.UTF_8));
            }
        }
    }

    private static String attr(String head, String key) {
        String k = "; " + key + "=\"";
        int i = head.indexOf(k);
        if (i < 0) {
            return null;
        }
        int s = i + k.length();
        int e = head.indexOf('"', s);
        return e < 0 ? null : head.substring(s, e);
    }

    private static boolean matches(byte[] b, int at, byte[] pat) {
        for (int j = 0; j < pat.length; j++) {
            if (b[at + j] != pat[j]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte[] pat, int from) {
        for (int i = from; i + pat.length <= b.length; i++) {
            if (matches(b, i, pat)) {
                return i;
            }
        }
        return -1;
    }

    private ObjectNode ok(JsonNode result) {
        ObjectNode n = mapper.createObjectNode().put("ok", true);
        n.set("result", result);
        return n;
    }

    private ObjectNode error(int code, String description) {
        return mapper.createObjectNode().put("ok", false).put("error_code", code).put("description", description);
    }

    private JsonNode bad(int[] status, String description) {
        status[0] = 400;
        return error(400, description);
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = mapper.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
