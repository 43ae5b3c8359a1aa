package io.nanoclaw.host.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Boots the host under test in a fresh install home, with the fake model API on loopback behind the credential
 * proxy, and the proxy on the Docker bridge where real agent containers reach it. Init args (a test's
 * {@code @ResourceArg}s) are passed on as host settings, e.g. MAX_CONCURRENT_CONTAINERS.
 */
public class HostWithFakeModel implements QuarkusTestResourceLifecycleManager {
    public static final String REAL_KEY = "sk-ant-test-real-key-0123456789";
    public static volatile FakeAnthropic model;
    public static volatile Path home;
    public static volatile String bridge;
    public static volatile int port;
    private final Map<String, String> settings = new HashMap<>();

    @Override
    public void init(Map<String, String> initArgs) {
        settings.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        AgentImage.ensure();
        try {
            home = Files.createTempDirectory("nanoclaw-home-");
            System.setProperty("NANOCLAW_HOME", home.toString());
            model = new FakeAnthropic(REAL_KEY, text -> "<message to=\"cli\">"
                    + (text.contains("ping") ? "pong" : "echo: " + text.strip()) + "</message>");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        bridge = DockerBridge.address();
        port = DockerBridge.freePort(bridge);
        Map<String, String> cfg = new HashMap<>();
        cfg.put("NANOCLAW_HOME", home.toString());
        cfg.put("ANTHROPIC_BASE_URL", model.baseUrl());
        cfg.put("ANTHROPIC_API_KEY", REAL_KEY);
        cfg.put("CREDENTIAL_PROXY_PORT", Integer.toString(port));
        cfg.put("quarkus.http.host", bridge);
        cfg.put("quarkus.http.test-port", Integer.toString(port));
        cfg.put("TZ", "Europe/Berlin");
        cfg.putAll(settings);
        return cfg;
    }

    @Override
    public void stop() {
        if (model != null) {
            model.close();
        }
    }
}
