package io.nanoclaw.host.credentials;

import io.nanoclaw.host.config.HostConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends one unauthenticated request through the credential proxy right after start, in the background. It loads
 * the HTTP server's and the HTTP client's request paths before the first real model call needs them, which takes
 * about 200 ms off the first reply of a cold container. The proxy refuses it (401) without calling upstream.
 */
@Singleton
public class ProxyWarmup {
    private static final Logger LOG = Logger.getLogger(ProxyWarmup.class);

    @Inject
    HostConfig config;

    @ConfigProperty(name = "quarkus.http.host")
    String bindHost;

    public void startInBackground() {
        Thread t = new Thread(this::warm, "proxy-warmup");
        t.setDaemon(true);
        t.start();
    }

    private void warm() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://" + bindHost + ":" + config.proxyPort() + "/v1/messages");
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (java.io.IOException e) {
                sleep(); // the HTTP server may still be opening its port
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.debug("credential proxy warm-up gave up: the proxy did not answer");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
