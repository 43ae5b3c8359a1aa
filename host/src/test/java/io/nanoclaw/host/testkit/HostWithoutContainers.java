package io.nanoclaw.host.testkit;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;

/**
 * The host with real central and session DBs in a fresh install home, but with wakes recorded instead of starting
 * containers and the scheduled jobs off, so routing and delivery can be driven step by step.
 */
public class HostWithoutContainers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            String home = Files.createTempDirectory("nanoclaw-core-").toString();
            // Never the developer's own ~/.config/nanoclaw/mount-allowlist.json; absent until a test writes it.
            String allowlist = Files.createTempDirectory("nanoclaw-allowlist-").resolve("mount-allowlist.json")
                    .toString();
            return Map.of("NANOCLAW_HOME", home, "NANOCLAW_CONTAINERS", "false", "quarkus.scheduler.enabled", "false",
                    "TZ", "UTC", "MOUNT_ALLOWLIST", allowlist);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(RecordingWaker.class);
    }
}
