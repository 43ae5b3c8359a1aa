package io.nanoclaw.runner.tools.nanoclaw;

import java.time.Duration;
import java.time.Instant;

/** Time for the tools that wait (ask_user_question): a seam so that a test can run a timeout without waiting. */
public interface ToolClock {
    Instant now();

    void sleep(Duration d) throws InterruptedException;

    ToolClock SYSTEM = new ToolClock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }
    };
}
