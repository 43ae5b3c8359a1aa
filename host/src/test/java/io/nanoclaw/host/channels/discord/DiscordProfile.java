package io.nanoclaw.host.channels.discord;

import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/** The host without containers or scheduled jobs, with the Discord channel pointed at a {@link FakeDiscord}. */
public class DiscordProfile extends HostWithoutContainers {
    public static volatile FakeDiscord fake;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Fake.class));
    }

    /** Starts the fake before the host, so the adapter connects to it at start-up. */
    public static class Fake implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                fake = new FakeDiscord();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("DISCORD_BOT_TOKEN", FakeDiscord.TOKEN, "DISCORD_API_BASE_URL", fake.apiBase());
        }

        @Override
        public void stop() {
            if (fake != null) {
                fake.close();
            }
        }
    }
}
