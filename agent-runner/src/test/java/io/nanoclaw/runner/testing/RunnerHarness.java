package io.nanoclaw.runner.testing;

import io.nanoclaw.runner.Runner;
import io.nanoclaw.runner.RunnerOptions;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.provider.Sleeper;
import io.nanoclaw.runner.provider.anthropic.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real runner's poll loop on its own thread, over a session fixture and a fake model API. */
public final class RunnerHarness implements AutoCloseable {
    private final SessionFixture session;
    private final FakeAnthropicServer api;
    private final RunnerConfig config;
    public final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private Runner runner;
    private Thread loopThread;

    public RunnerHarness(SessionFixture session, FakeAnthropicServer api, RunnerConfig config) {
        this.session = session;
        this.api = api;
        this.config = config;
    }

    public void start() throws Exception {
        Sleeper recording = sleeps::add;
        runner = Runner.open(session.env(api.baseUrl()), config,
                new RunnerOptions(RetryPolicy.standard(), recording, null));
        runner.recoverCrashedBatches();
        loopThread = new Thread(runner.loop(), "test-poll-loop");
        loopThread.start();
    }

    public void stop() throws Exception {
        if (runner != null) {
            runner.loop().stop();
            loopThread.join(5000);
            runner.close();
            runner = null;
        }
    }

    public void awaitAck(String id, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!session.ackStatus(id).map(status::equals).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ack of " + id + " is " + session.ackStatus(id) + ", expected " + status);
            }
            Thread.sleep(10);
        }
    }

    /** A final answer block for a destination, as the agent is told to write it. */
    public static String to(String destination, String body) {
        return "<message to=\"" + destination + "\">" + body + "</message>";
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
