package io.nanoclaw.runner.provider;

import java.net.http.HttpClient;
import java.time.Duration;

/** The process-wide HttpClient: one connection pool, so warm requests reuse their keep-alive connection. */
public final class HttpClients {
    private static volatile HttpClient shared;

    private HttpClients() {}

    public static HttpClient shared() {
        HttpClient c = shared;
        if (c == null) {
            synchronized (HttpClients.class) {
                c = shared;
                if (c == null) {
                    // HTTP/1.1: the credential proxy is plain http on the bridge, where an h2c upgrade buys nothing
                    c = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10))
                            .sslContext(LazyTrust.context())
                            .build();
                    shared = c;
                }
            }
        }
        return c;
    }
}
