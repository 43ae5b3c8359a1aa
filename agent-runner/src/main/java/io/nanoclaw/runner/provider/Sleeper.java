package io.nanoclaw.runner.provider;

import java.time.Duration;

/** Waiting between retries, injectable so that tests don't sleep. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(d.toMillis());
}
