package io.nanoclaw.host.channels.slack;

import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host without containers or scheduled jobs (as {@link HostWithoutContainers}), with both Slack tokens set and
 * SLACK_API_BASE_URL pointing at a {@link FakeSlack} started before the host, so the real Slack adapter bean starts
 * with the host and connects to the fake.
 */
public class HostWithFakeSlack extends HostWithoutContainers {
    public static volatile FakeSlack fake;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> m = new HashMap<>(super.getConfigOverrides());
        m.put("SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN);
        m.put("SLACK_APP_TOKEN", FakeSlack.APP_TOKEN);
        return m;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Fake.class));
    }

    public static class Fake implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                fake = new FakeSlack();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("SLACK_API_BASE_URL", fake.apiBaseUrl());
        }

        @Override
        public void stop() {
            if (fake != null) {
                fake.close();
            }
        }
    }
}
