package io.nanoclaw.host.operator;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;

/** When this host started (its StartupEvent), for {@code ncl status}. */
@Singleton
public class HostUptime {
    private volatile Instant started = Instant.now();

    void onStart(@Observes StartupEvent ev) {
        started = Instant.now();
    }

    public Instant started() {
        return started;
    }

    public long seconds() {
        return Duration.between(started, Instant.now()).toSeconds();
    }
}
