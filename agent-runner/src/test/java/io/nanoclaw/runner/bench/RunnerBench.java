package io.nanoclaw.runner.bench;

import static io.nanoclaw.runner.testing.RunnerHarness.to;

import io.nanoclaw.protocol.ContainerEnv;
import io.nanoclaw.runner.testing.FakeAnthropicServer;
import io.nanoclaw.runner.testing.SessionFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's figures for `./nanoclaw bench` (not a test: it runs only with -Dnanoclaw.bench=true and asserts
 * nothing about time). The packaged runner jar runs as its own JVM with the image's flags (keep FLAGS in step with
 * src/main/docker/agent-runner.launcher) and, as in the image, a class-data archive recorded by its self-test and
 * sqlite's native library extracted once: start to the first poll, idle RSS, and the runner's own time per
 * turn against an instantly answering Messages API on loopback. Prints one line "BENCH {json}".
 */
@EnabledIfSystemProperty(named = "nanoclaw.bench", matches = "true")
class RunnerBench {
    static final int STARTS = 5;
    static final int TURNS = 40;
    /** -Drunner.flags="..." replaces them, to compare settings. */
    static final List<String> FLAGS = System.getProperty("runner.flags") != null
            ? List.of(System.getProperty("runner.flags").trim().split("\\s+"))
            : List.of("-XX:+UseSerialGC", "-Xmx64m", "-Xmn4m", "-Xss256k", "-XX:MaxMetaspaceSize=64m",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=16m",
            "-XX:-UsePerfData");
    static final Pattern TURN = Pattern.compile("\\[loop\\] batch of 1 answered with 1 message\\(s\\) in (\\d+) ms");

    @TempDir
    Path tmp;

    @Test
    void startIdleMemoryAndTurnOverhead() throws Exception {
        Path jar = Path.of("target/agent-runner.jar").toAbsolutePath();
        Path cds = tmp.resolve("runner.jsa");
        List<String> flags = new ArrayList<>(FLAGS);
        flags.addAll(sqliteNative(jar.getParent().resolve("lib"), tmp.resolve("native")));
        record(jar, cds, flags);
        try (SessionFixture session = new SessionFixture(tmp.resolve("s"));
             FakeAnthropicServer api = new FakeAnthropicServer()) {
            session.addDestination("cli", "channel", "cli", "local", null);
            for (int i = 0; i < TURNS + 2 * STARTS; i++) {
                api.enqueue(FakeAnthropicServer.text(to("cli", "pong")));
            }
            List<Double> starts = new ArrayList<>();
            double idleRssMb = 0;
            List<Double> turns = new ArrayList<>();
            for (int s = 0; s < STARTS; s++) {
                Runner r = Runner.start(jar, cds, flags, session, api);
                try {
                    starts.add(r.awaitLine("[loop] polling", 20));
                    if (s == 0) {
                        Thread.sleep(5000);
                        idleRssMb = rssKb(r.process.pid()) / 1024.0;
                        long seq = 2;
                        for (int i = 0; i < TURNS; i++, seq += 2) {
                            session.chat("b" + i, seq, "ping " + i);
                            session.awaitReplies(i + 1);
                        }
                        for (int i = 0; i < TURNS; i++) {
                            Matcher m = TURN.matcher(r.nextMatching(TURN, 10));
                            if (m.find()) {
                                turns.add(Double.parseDouble(m.group(1)));
                            }
                        }
                    }
                } finally {
                    r.stop();
                }
            }
            Collections.sort(starts);
            List<Double> warmTurns = new ArrayList<>(turns.subList(Math.min(5, turns.size()), turns.size()));
            Collections.sort(warmTurns);
            System.out.printf(Locale.ROOT, "BENCH {\"runner_start_to_first_poll_ms\":%.0f,"
                            + "\"runner_idle_rss_mb\":%.1f,\"runner_turn_overhead_p50_ms\":%.0f,"
                            + "\"runner_turn_overhead_p90_ms\":%.0f,\"runner_first_turn_ms\":%.0f}%n",
                    starts.get(starts.size() / 2), idleRssMb, pct(warmTurns, 50), pct(warmTurns, 90),
                    turns.isEmpty() ? -1 : turns.get(0));
        }
    }

    /** As the image build does: a self-test run records the classes the runner loads. */
    private static void record(Path jar, Path cds, List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(flags);
        cmd.add("-XX:ArchiveClassesAtExit=" + cds);
        cmd.addAll(List.of("-jar", jar.toString(), "--selftest"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(cds)) {
            throw new IllegalStateException("the self-test run did not record a class-data archive");
        }
    }

    /** One runner process on the session folder, its stderr lines queued as they arrive. */
    private static final class Runner {
        final Process process;
        final long startedNanos;
        final BlockingQueue<String[]> lines = new LinkedBlockingQueue<>();

        private Runner(Process process, long startedNanos) {
            this.process = process;
            this.startedNanos = startedNanos;
            Thread t = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(new String[] {line, Long.toString(System.nanoTime())});
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        static Runner start(Path jar, Path cds, List<String> flags, SessionFixture session, FakeAnthropicServer api)
                throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(java());
            cmd.addAll(flags);
            cmd.add("-XX:SharedArchiveFile=" + cds);
            cmd.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = pb.environment();
            env.put(ContainerEnv.WORKSPACE, session.workspace().toString());
            env.put(ContainerEnv.STATE_DIR, session.stateDir().toString());
            env.put(ContainerEnv.ANTHROPIC_BASE_URL, api.baseUrl().toString());
            env.put(ContainerEnv.PROXY_TOKEN, SessionFixture.TOKEN);
            env.put(ContainerEnv.TZ, "UTC");
            long started = System.nanoTime();
            return new Runner(pb.start(), started);
        }

        /** Milliseconds from the process start to the first line containing {@code text}. */
        double awaitLine(String text, int timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline) {
                String[] l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null && l[0].contains(text)) {
                    return (Long.parseLong(l[1]) - startedNanos) / 1e6;
                }
            }
            throw new IllegalStateException("the runner never logged \"" + text + "\"");
        }

        String nextMatching(Pattern p, int timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline) {
                String[] l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null && p.matcher(l[0]).find()) {
                    return l[0];
                }
            }
            return "";
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * As in the image, sqlite-jdbc's native library is extracted once (the image does it at build time) instead
     * of on every start.
     */
    private static List<String> sqliteNative(Path libDir, Path target) throws IOException {
        Path jarFile;
        try (var files = Files.list(libDir)) {
            jarFile = files.filter(f -> f.getFileName().toString().startsWith("sqlite-jdbc-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no sqlite-jdbc jar in " + libDir));
        }
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : "aarch64";
        Files.createDirectories(target);
        try (var zip = new java.util.zip.ZipFile(jarFile.toFile())) {
            var entry = zip.getEntry("org/sqlite/native/Linux/" + arch + "/libsqlitejdbc.so");
            try (var in = zip.getInputStream(entry)) {
                Files.copy(in, target.resolve("libsqlitejdbc.so"));
            }
        }
        return List.of("-Dorg.sqlite.lib.path=" + target, "-Dorg.sqlite.lib.name=libsqlitejdbc.so");
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
