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
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model API on loopback as the credential proxy sees it from the other side: it records each request exactly as
 * it arrived (method, path, every header, body) and answers with a short event stream sent in separate flushed
 * pieces, so a test can check what the proxy put in, left out and passed back.
 */
public final class FakeUpstream implements AutoCloseable {
    /** One request as it arrived; header names lowercased, all values kept. */
    public record Seen(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> v = headers.get(name);
            return v == null ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final String sse;
    public final List<Seen> seen = new CopyOnWriteArrayList<>();

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
        try (ex) {
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body));
            ex.getResponseHeaders().set("content-type", "text/event-stream");
            ex.getResponseHeaders().set("x-request-id", "req_upstream_1");
            ex.getResponseHeaders().set("request-id", "req_upstream_1");
            ex.getResponseHeaders().set("set-cookie", "upstream-session=1"); // must not be passed back
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (String event : sse.split("(?<=\n\n)")) {
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
