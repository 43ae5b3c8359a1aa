package io.nanoclaw.host.channels.signal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nanoclaw.host.testkit.RecordingWaker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host as {@code HostWithoutContainers} runs it (real DBs in a fresh home, wakes recorded, jobs off), with the
 * Signal channel configured against a {@link FakeSignalDaemon} on loopback that is started before the host.
 */
public class SignalHost implements QuarkusTestProfile {
    public static final String ACCOUNT = "+15550000001";
    public static volatile FakeSignalDaemon daemon;
    public static volatile Path attachmentsDir;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("NANOCLAW_CONTAINERS", "false", "quarkus.scheduler.enabled", "false", "TZ", "UTC",
                "SIGNAL_ACCOUNT", ACCOUNT, "SIGNAL_RPC_TIMEOUT_MS", "3000");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(RecordingWaker.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Daemon.class, Map.of()));
    }

    /** The same host, but the daemon does not have the account (a number that was never registered or linked). */
    public static class AccountRejected extends SignalHost {
        public static final String ERROR = "User " + ACCOUNT + " is not registered.";

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Daemon.class, Map.of("accountError", ERROR)));
        }
    }

    /** Starts the fake daemon before the host and points SIGNAL_RPC_ADDRESS at it. */
    public static class Daemon implements QuarkusTestResourceLifecycleManager {
        private Map<String, String> args = Map.of();

        @Override
        public void init(Map<String, String> initArgs) {
            args = initArgs;
        }

        @Override
        public Map<String, String> start() {
            try {
                Path home = Files.createTempDirectory("nanoclaw-signal-");
                attachmentsDir = Files.createDirectories(home.resolve("signal-cli-attachments"));
                daemon = new FakeSignalDaemon(ACCOUNT);
                if (args.containsKey("accountError")) {
                    daemon.accountError = JsonNodeFactory.instance.objectNode().put("code", -1)
                            .put("message", args.get("accountError"));
                }
                Map<String, String> cfg = new HashMap<>();
                cfg.put("NANOCLAW_HOME", home.toString());
                cfg.put("MOUNT_ALLOWLIST", home.resolve("mount-allowlist.json").toString());
                cfg.put("SIGNAL_RPC_ADDRESS", daemon.address());
                cfg.put("SIGNAL_ATTACHMENTS_DIR", attachmentsDir.toString());
                return cfg;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            if (daemon != null) {
                daemon.close();
            }
        }
    }
}
