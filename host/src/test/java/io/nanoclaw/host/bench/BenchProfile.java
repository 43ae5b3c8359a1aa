package io.nanoclaw.host.bench;

import io.nanoclaw.host.testkit.HostWithoutContainers;
import java.util.HashMap;
import java.util.Map;

/** Like the core tests' host, but with the scheduled jobs on, as a real idle host runs them. */
public class BenchProfile extends HostWithoutContainers {
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> m = new HashMap<>(super.getConfigOverrides());
        m.put("quarkus.scheduler.enabled", "true");
        return m;
    }
}
