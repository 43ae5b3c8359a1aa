package io.nanoclaw.host.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * The docker-java client, created on first use. The API version is pinned to 1.41: Docker 20.10 (and Podman's
 * Docker-compatible socket) answer it, while newer default versions get HTTP 400. The zerodep transport avoids
 * Apache HttpClient 5 (less memory). Native image: docker-java's model classes need reflection metadata for Jackson
 * (see docs/native.md).
 */
@Singleton
public class DockerClientProvider {
    static final String API_VERSION = "1.41";
    private volatile DockerClient client;

    public DockerClient get() {
        DockerClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = create();
                }
                c = client;
            }
        }
        return c;
    }

    private static DockerClient create() {
        DefaultDockerClientConfig cfg = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withApiVersion(API_VERSION)
                .build();
        URI host = cfg.getDockerHost();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(host)
                .sslConfig(cfg.getSSLConfig())
                .maxConnections(16)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofMinutes(15))
                .build();
        return DockerClientImpl.getInstance(cfg, http);
    }

    @PreDestroy
    void close() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }
}
