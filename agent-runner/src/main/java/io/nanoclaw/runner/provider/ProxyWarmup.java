package io.nanoclaw.runner.provider;

import io.nanoclaw.runner.log.Log;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Opens the keep-alive connection to the host's credential proxy while the runner is still starting, so the first
 * model call of a cold container doesn't pay for the connection and the HTTP client's first use. The proxy answers
 * {@code GET /nanoclaw/ping} itself (no token, no upstream call). Best effort: a failure only costs the warm-up.
 */
public final class ProxyWarmup {
    private ProxyWarmup() {}

    /**
     * Builds the shared client on the warm-up thread too (its SSL set-up is the slow part of building one), so it
     * overlaps with opening the session databases on the main thread.
     */
    public static void startInBackground(java.util.function.Supplier<HttpClient> clientSupplier, String baseUrl) {
        Thread t = new Thread(() -> {
            try {
                HttpClient client = clientSupplier.get();
                HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/nanoclaw/ping"))
                        .timeout(Duration.ofSeconds(5)).GET().build();
                client.send(req, HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                Log.debug("warmup", "proxy warm-up failed: " + e.getMessage());
            }
        }, "proxy-warmup");
        t.setDaemon(true);
        t.start();
    }
}
