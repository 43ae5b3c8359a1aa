package io.nanoclaw.host.bench;

import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.routing.Router;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The host-core figures of `./nanoclaw bench` (not a test: it runs only with -Dnanoclaw.bench=true and asserts
 * nothing about time). Routing: messages routed and persisted per second across 100 sessions, with per-message
 * latency; idle: host CPU with 100 idle sessions while the scheduled jobs run. Prints one line "BENCH {json}".
 */
@QuarkusTest
@TestProfile(BenchProfile.class)
@EnabledIfSystemProperty(named = "nanoclaw.bench", matches = "true")
class CoreBench {
    static final int CHATS = 100;
    static final int MESSAGES = 5000;

    @Inject
    Router router;
    @Inject
    CoreFixture fx;
    @Inject
    Sessions sessions;

    @Test
    void routingThroughputAndIdleCpu() throws Exception {
        AgentGroup ag = fx.group("Bench");
        List<MessagingGroup> chats = new ArrayList<>();
        for (int i = 0; i < CHATS; i++) {
            MessagingGroup mg = fx.chat("cli", "bench chat " + i, false, "public");
            fx.wireAll(mg, ag);
            chats.add(mg);
        }
        // Warm up: the first message of each chat creates its session (folder, two DBs).
        for (MessagingGroup mg : chats) {
            route(mg, "warm-up");
        }
        long[] latencies = new long[MESSAGES];
        long t0 = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            long s = System.nanoTime();
            route(chats.get(i % CHATS), "message " + i);
            latencies[i] = System.nanoTime() - s;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(latencies);
        int sessionCount = sessions.activeOf(ag.id()).size();

        // Idle: nothing in flight, the 1 s delivery job and the 60 s sweep running over 100 sessions. Settle first
        // so the JIT's work on the routing burst isn't counted as idle cost.
        Thread.sleep(30_000);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> before = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            before.put(id, threads.getThreadCpuTime(id));
        }
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        Thread.sleep(60_000);
        long processCpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        // The test harness's own threads (surefire's output flusher) are not the host's cost.
        long harness = 0;
        List<String> top = new ArrayList<>();
        for (long id : threads.getAllThreadIds()) {
            long d = threads.getThreadCpuTime(id) - before.getOrDefault(id, 0L);
            var info = threads.getThreadInfo(id);
            if (info == null) {
                continue;
            }
            if (info.getThreadName().startsWith("surefire")) {
                harness += d;
            } else if (d > 5_000_000) {
                top.add(String.format(Locale.ROOT, "%s=%dms", info.getThreadName(), d / 1_000_000));
            }
        }
        double idlePct = 100.0 * (processCpu - harness) / wall;
        System.out.println("BENCH-THREADS " + top);

        System.out.printf(Locale.ROOT, "BENCH {\"routing_sessions\":%d,\"routing_messages\":%d,"
                        + "\"routing_per_s\":%.0f,\"routing_p50_ms\":%.2f,\"routing_p99_ms\":%.2f,"
                        + "\"idle_sessions\":%d,\"host_idle_cpu_pct\":%.3f}%n",
                sessionCount, MESSAGES, MESSAGES / seconds, latencies[MESSAGES / 2] / 1e6,
                latencies[(int) (MESSAGES * 0.99)] / 1e6, sessionCount, idlePct);
    }

    private void route(MessagingGroup mg, String text) {
        router.onInbound("cli", mg.platformId(), null, new InboundMessage(CoreFixture.unique("b"), "chat",
                "{\"text\":\"" + text + "\",\"sender\":\"bench\"}", "2026-01-01T00:00:00Z", false, false,
                "bench", "bench"));
    }
}
