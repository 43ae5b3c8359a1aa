package io.nanoclaw.host.operator;

import io.nanoclaw.host.testkit.HostWithoutContainers;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link HostWithoutContainers} with a model key set (so doctor can be seen not to print it) pointing at a closed
 * loopback port: nothing leaves the machine, and the host log file on (under the temp home) for {@code ncl logs}. Shared by the operator and backup tests: one host start for both.
 */
public class OperatorProfile extends HostWithoutContainers {
    public static final String SECRET = "sk-ant-test-SECRET-do-not-print-4242";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> m = new HashMap<>(super.getConfigOverrides());
        m.put("ANTHROPIC_API_KEY", SECRET);
        m.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:9");
        m.put("quarkus.log.file.enabled", "true"); // off for other tests (application.properties)
        return m;
    }
}
