package io.nanoclaw.host.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model API on loopback as the credential proxy sees it from the other side: it records each request exactly as
 * it arrived (method, path, every header, body) and answers with a short event stream sent in separate flushed
 * pieces, so a test can check what the proxy put in, left out and passed back. A test can queue other answers
 * ({@link #replies}): another status, a plain JSON body, an event cut into several writes, or a connection dropped
 * in the middle.
 */
public final class FakeUpstream implements AutoCloseable {
    /** One request as it arrived; header names lowercased, all values kept. */
    public record Seen(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> v = headers.get(name);
            return v == null ? null : v.get(0);
        }
    }

    /**
     * One scripted answer: each piece is written and flushed on its own, {@code pauseMillis} apart so that the
     * proxy reads them separately; with {@code cut} the connection is dropped after the last piece instead of the
     * body being ended.
     */
    public record Reply(int status, String contentType, List<byte[]> pieces, long pauseMillis, boolean cut) {
        public static Reply of(int status, String contentType, String body) {
            return new Reply(status, contentType, List.of(body.getBytes(StandardCharsets.UTF_8)), 0, false);
        }

        public byte[] bytes() {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            pieces.forEach(all::writeBytes);
            return all.toByteArray();
        }
    }

    private final HttpServer server;
    private final String sse;
    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Answers for the next requests, in order; when empty, the default event stream. */
    public final Queue<Reply> replies = new ConcurrentLinkedQueue<>();

    /** @param sse the event stream every request gets (status 200, text/event-stream) */
    public FakeUpstream(String sse) throws IOException {
        this.sse = sse;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        boolean cut = false;
        try {
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body));
            Reply reply = replies.poll();
            ex.getResponseHeaders().set("content-type", reply == null ? "text/event-stream" : reply.contentType());
            ex.getResponseHeaders().set("x-request-id", "req_upstream_1");
            ex.getResponseHeaders().set("request-id", "req_upstream_1");
            ex.getResponseHeaders().set("set-cookie", "upstream-session=1"); // must not be passed back
            ex.sendResponseHeaders(reply == null ? 200 : reply.status(), 0);
            OutputStream out = ex.getResponseBody();
            if (reply == null) {
                for (String event : sse.split("(?<=\n\n)")) {
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                return;
            }
            for (byte[] piece : reply.pieces()) {
                out.write(piece);
                out.flush();
                pause(reply.pauseMillis());
            }
            if (reply.cut()) {
                // The exchange is left open, so the last chunk never goes out; the server drops the connection on
                // the exception and the reader sees the body end early.
                cut = true;
                throw new IOException("fake upstream cuts the stream");
            }
        } finally {
            if (!cut) {
                ex.close();
            }
        }
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
