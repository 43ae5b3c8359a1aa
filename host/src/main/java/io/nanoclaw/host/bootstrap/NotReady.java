package io.nanoclaw.host.bootstrap;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

/** Holds the scheduled jobs back until the host has finished starting (schema, first-start data, channels). */
@Singleton
public class NotReady implements Scheduled.SkipPredicate {
    private volatile boolean ready;

    void markReady() {
        ready = true;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !ready;
    }
}
