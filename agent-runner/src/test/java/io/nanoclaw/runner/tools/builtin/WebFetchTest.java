package io.nanoclaw.runner.tools.builtin;

import static io.nanoclaw.runner.tools.builtin.ToolFixture.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebFetch against a loopback HTTP server; never the internet. */
class WebFetchTest {
    @TempDir
    Path ws;

    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/page", ex -> send(ex, 200, "text/html; charset=utf-8", """
                <!doctype html><html><head><title>Docs</title><script>alert(1)</script></head>
                <body><nav><a href="/">Home</a></nav><h1>Install</h1>
                <p>See <a href="/guide">the guide</a>.</p><ul><li>fast</li><li>small</li></ul></body></html>"""));
        server.createContext("/latin1", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=ISO-8859-1");
            byte[] body = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/data.json", ex -> send(ex, 200, "application/json", "{\"ok\":true}"));
        server.createContext("/old", ex -> redirect(ex, 301, "/page"));
        server.createContext("/away", ex -> redirect(ex, 302, "http://localhost:" + port() + "/page"));
        server.createContext("/missing", ex -> send(ex, 404, "text/html", "<h1>Not here</h1>"));
        server.createContext("/broken", ex -> send(ex, 503, "text/plain", "down"));
        server.createContext("/big", ex -> send(ex, 200, "text/plain", "x".repeat(5000)));
        server.createContext("/big-chunked", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write("y".repeat(100).getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                // the client hung up at its cap
            }
        });
        server.createContext("/image.png", ex -> send(ex, 200, "image/png", "\u0089PNG"));
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, 200, "text/plain", "late");
        });
        server.start();
        base = "http://127.0.0.1:" + port();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static void redirect(HttpExchange ex, int status, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private ToolResult fetch(WebFetch tool, String url, String prompt) throws Exception {
        return tool.run(Json.parse("{\"url\":" + q(url) + ",\"prompt\":" + q(prompt) + "}"),
                ToolFixture.context(ws));
    }

    private ToolResult fetch(String url) throws Exception {
        return fetch(new WebFetch(null), url, "What is it?");
    }

    @Test
    void htmlBecomesMarkdownUnderThePrompt() throws Exception {
        ToolResult r = fetch(base + "/page");
        assertFalse(r.isError(), r.text());
        assertEquals("Prompt: What is it?\n\nContent of " + base + "/page:\n\n# Install\n\nSee [the guide]("
                + base + "/guide).\n\n- fast\n- small", r.text());
    }

    @Test
    void textAndJsonPassThroughInTheirCharset() throws Exception {
        assertTrue(fetch(base + "/data.json").text().endsWith(":\n\n{\"ok\":true}"));
        assertTrue(fetch(base + "/latin1").text().endsWith(":\n\ncaf\u00e9"));
    }

    @Test
    void aSummarizerAnswersThePromptAndAFailingOneFallsBackToThePage() throws Exception {
        WebFetch summarized = new WebFetch((prompt, content) -> "answer to " + prompt + " from "
                + content.lines().findFirst().orElse(""));
        assertEquals("answer to Which? from # Install", fetch(summarized, base + "/page", "Which?").text());
        WebFetch failing = new WebFetch((prompt, content) -> {
            throw new IOException("model down");
        });
        assertTrue(fetch(failing, base + "/page", "Which?").text().contains("# Install"));
    }

    @Test
    void redirectsOnTheSameHostAreFollowedOthersReported() throws Exception {
        ToolResult same = fetch(base + "/old");
        assertTrue(same.text().startsWith("Prompt: What is it?\n\nContent of " + base + "/page:"), same.text());

        ToolResult away = fetch(base + "/away");
        assertFalse(away.isError());
        String to = "http://localhost:" + port() + "/page";
        assertEquals("REDIRECT DETECTED: The URL redirects to a different host.\n\n"
                + "Original URL: " + base + "/away\nRedirect URL: " + to + "\nStatus: 302 Found\n\n"
                + "To complete your request, I need to fetch content from the redirected URL. Please use WebFetch"
                + " again with these parameters:\n- url: \"" + to + "\"\n- prompt: \"What is it?\"", away.text());
    }

    @Test
    void httpErrorsAndUnreachableHostsAreErrors() throws Exception {
        ToolResult missing = fetch(base + "/missing");
        assertTrue(missing.isError());
        assertEquals("HTTP 404 Not Found for " + base + "/missing", missing.text());
        assertEquals("HTTP 503 Service Unavailable for " + base + "/broken", fetch(base + "/broken").text());

        int deadPort;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = closed.getLocalPort();
        }
        ToolResult refused = fetch("http://127.0.0.1:" + deadPort + "/");
        assertTrue(refused.isError());
        assertTrue(refused.text().startsWith("could not connect to 127.0.0.1:" + deadPort), refused.text());
    }

    @Test
    void oversizedSlowAndBinaryResponsesAreErrors() throws Exception {
        WebFetch capped = new WebFetch(null, new WebPageFetcher(1000, Duration.ofMillis(800)));
        ToolResult declared = fetch(capped, base + "/big", "p");
        assertTrue(declared.isError());
        assertTrue(declared.text().contains("is larger than"), declared.text());
        ToolResult streamed = fetch(capped, base + "/big-chunked", "p");
        assertTrue(streamed.isError());
        assertTrue(streamed.text().contains("is larger than"), streamed.text());

        ToolResult slow = fetch(capped, base + "/slow", "p");
        assertTrue(slow.isError());
        assertTrue(slow.text().startsWith("timed out after"), slow.text());

        ToolResult image = fetch(base + "/image.png");
        assertTrue(image.isError());
        assertTrue(image.text().contains("is image/png"), image.text());
    }

    @Test
    void onlyHttpAndHttpsUrlsAreFetched() throws Exception {
        for (String url : List.of("file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "/relative",
                "http:///nohost", "not a url")) {
            ToolResult r = fetch(url);
            assertTrue(r.isError(), url);
        }
        assertTrue(fetch("file:///etc/passwd").text().startsWith("WebFetch fetches only http and https URLs"));
        ToolResult missing = new WebFetch(null).run(Json.parse("{\"url\":\"https://example.org\"}"),
                ToolFixture.context(ws));
        assertEquals("missing required parameter: prompt", missing.text());
    }

    @Test
    void longContentIsCut() {
        String cut = WebFetch.truncate("z".repeat(WebFetch.MAX_CONTENT_CHARS + 10));
        assertTrue(cut.startsWith("z".repeat(WebFetch.MAX_CONTENT_CHARS)));
        assertTrue(cut.endsWith("[Content truncated: the first 100000 of 100010 characters]"));
    }
}
