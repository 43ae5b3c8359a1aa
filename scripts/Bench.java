// `./nanoclaw bench`: measures the real host with a real agent container against an instantly answering fake model
// and prints one JSON object. Single-file Java (JDK only), so it needs no build of its own.
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public class Bench {
    static final String KEY = "sk-ant-bench-key";

    public static void main(String[] args) throws Exception {
        // The fake model API must answer at once: without TCP_NODELAY its response headers and body leave as two
        // segments and Nagle holds the body until the host's delayed ACK (about 40 ms on Linux), an artifact no
        // real API adds. Read by the JDK's HttpServer when its first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        int warmCount = 20;
        HttpServer model = fakeModel();
        Path home = Files.createTempDirectory("nanoclaw-bench-");
        String bridge = bridgeAddress();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bridge))) {
            port = s.getLocalPort();
        }
        Map<String, String> env = Map.of(
                "NANOCLAW_HOME", home.toString(),
                "ANTHROPIC_BASE_URL", "http://127.0.0.1:" + model.getAddress().getPort(),
                "ANTHROPIC_API_KEY", KEY,
                "NANOCLAW_PROXY_BIND", bridge,
                "CREDENTIAL_PROXY_PORT", Integer.toString(port));
        Path sock = home.resolve("data/cli.sock");

        // First start of a new install (creates the schema), then the start every later boot pays.
        Process first = startHost(root, env, home);
        double firstStart = waitReady(first, sock);
        stop(first);
        Process host = startHost(root, env, home);
        double start = waitReady(host, sock);
        Thread.sleep(3000);
        long rssBefore = rssKb(host.pid());

        double cold;
        List<Double> warm = new ArrayList<>();
        List<Double> firstPolls = new ArrayList<>();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            OutputStream out = Channels.newOutputStream(ch);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            // Cold: no container running. Three samples (the container removed between them), median reported.
            List<Double> colds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (i > 0) {
                    removeAgentContainers();
                    Thread.sleep(1500);
                }
                long sent = System.currentTimeMillis();
                colds.add(roundTrip(out, in, "ping"));
                firstPolls.add(firstPollMs(sent));
            }
            Collections.sort(colds);
            cold = colds.get(1);
            Collections.sort(firstPolls);
            for (int i = 0; i < warmCount; i++) {
                warm.add(roundTrip(out, in, "warm " + i));
            }
        }
        Thread.sleep(5000);
        long hostRss = rssKb(host.pid());
        long[] agent = agentContainerMemory(home);
        stop(host);
        model.stop(0);
        Collections.sort(warm);
        // --quick: only the end-to-end figures (the host-core benchmark takes about two minutes).
        String core = Arrays.asList(args).contains("--quick") ? "" : coreBench(root);
        String runner = runnerBench(root);
        System.out.printf(Locale.ROOT, "{" + core + runner + "\"host_first_start_to_ready_s\":%.3f,\"host_start_to_ready_s\":%.3f,"
                        + "\"host_rss_idle_mb\":%.1f,\"host_rss_after_start_mb\":%.1f,\"cold_reply_ms\":%.0f,"
                        + "\"warm_reply_p50_ms\":%.0f,\"warm_reply_p90_ms\":%.0f,\"warm_replies\":%d,"
                        + "\"agent_container_rss_mb\":%.1f,\"agent_container_cgroup_mb\":%.1f,"
                        + "\"cold_wake_to_first_poll_ms\":%.0f,\"agent_image_mb\":%.0f}%n",
                firstStart, start, hostRss / 1024.0, rssBefore / 1024.0, cold, pct(warm, 50), pct(warm, 90),
                warm.size(), agent[0] / 1024.0, agent[1] / 1024.0 / 1024.0, firstPolls.get(1), imageMb());
    }

    /**
     * The host-core figures (routing throughput across 100 sessions, idle CPU with 100 idle sessions) come from
     * CoreBench, run in a JVM with the host's flags (a larger heap for the test harness). Returns its fields
     * followed by a comma, or "" when it could not run.
     */
    static String coreBench(Path root) throws Exception {
        return mavenBench(root, List.of("mvn", "-q", "-B", "-pl", "protocol,host", "-am", "test", "-Dtest=CoreBench",
                "-Dnanoclaw.bench=true", "-Dsurefire.failIfNoSpecifiedTests=false",
                "-DargLine=-XX:+UseSerialGC -Xmx96m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 "
                        + "-XX:-UsePerfData"), "host-core");
    }

    /**
     * The runner's own figures (start to first poll, idle RSS, time per turn against an instant model) from
     * RunnerBench, which runs the packaged runner jar in its own JVM with the image's flags.
     */
    static String runnerBench(Path root) throws Exception {
        return mavenBench(root, List.of("mvn", "-q", "-B", "-pl", "protocol,agent-runner", "-am", "test",
                "-Dtest=RunnerBench", "-Dnanoclaw.bench=true", "-Dsurefire.failIfNoSpecifiedTests=false"), "runner");
    }

    /** Runs a benchmark test class and returns the fields of its "BENCH {...}" line plus a comma, or "". */
    static String mavenBench(Path root, List<String> cmd, String what) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String raw : out.split("\n")) {
            String line = raw.replaceAll("\u001B\\[[0-9;]*m", "").strip(); // mvn may colour even with -q
            if (line.startsWith("BENCH {") && line.endsWith("}")) {
                return line.substring("BENCH {".length(), line.length() - 1) + ",";
            }
        }
        System.err.println("[bench] the " + what + " benchmark did not run:\n" + out);
        return "";
    }

    static Process startHost(Path root, Map<String, String> env, Path home) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("java");
        String opts = System.getenv().getOrDefault("HOST_JAVA_OPTS", "");
        for (String o : opts.split("\\s+")) {
            if (!o.isBlank()) {
                cmd.add(o);
            }
        }
        cmd.add("-jar");
        cmd.add(root.resolve("host/target/quarkus-app/quarkus-run.jar").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("host.log").toFile()));
        return pb.start();
    }

    /** Seconds from now (process just started) until the CLI socket accepts a connection. */
    static double waitReady(Process p, Path sock) throws Exception {
        long t0 = p.info().startInstant().map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis());
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("host exited early (see its log in the bench home)");
            }
            if (Files.exists(sock)) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(sock));
                    return (System.currentTimeMillis() - t0) / 1000.0;
                } catch (IOException notYet) {
                    // keep waiting
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("host not ready within 60 s");
    }

    static double roundTrip(OutputStream out, BufferedReader in, String text) throws IOException {
        long t0 = System.nanoTime();
        out.write(("{\"text\":\"" + text + "\"}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line = in.readLine();
        if (line == null || !line.startsWith("{\"text\"")) {
            throw new IllegalStateException("unexpected reply: " + line);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Removes the bench's agent container, as an idle shutdown would stop it. */
    static void removeAgentContainers() throws Exception {
        Process ps = new ProcessBuilder("docker", "ps", "-q", "--filter", "label=nanoclaw-session").start();
        String ids = new String(ps.getInputStream().readAllBytes()).strip();
        ps.waitFor();
        for (String id : ids.split("\\s+")) {
            if (!id.isBlank()) {
                new ProcessBuilder("docker", "rm", "-f", id).redirectErrorStream(true).start().waitFor();
            }
        }
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    static double pct(List<Double> sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1)));
    }

    static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** [sum of the container's process RSS in kB, cgroup memory usage in bytes] of the bench's agent container. */
    /**
     * Message sent (the host wakes the container at once) to the runner's first poll, from the runner's
     * "[loop] polling" line as `docker logs -t` stamps it (the engine's clock is this machine's).
     */
    static double firstPollMs(long sentEpochMs) throws Exception {
        Process ps = new ProcessBuilder("docker", "ps", "-q", "--filter", "label=nanoclaw-session").start();
        String id = new String(ps.getInputStream().readAllBytes()).lines().findFirst().orElse("").strip();
        ps.waitFor();
        Process logs = new ProcessBuilder("docker", "logs", "-t", id).redirectErrorStream(true).start();
        for (String line : new String(logs.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("[loop] polling")) {
                java.time.Instant at = java.time.Instant.parse(line.substring(0, line.indexOf(' ')));
                return at.toEpochMilli() - sentEpochMs;
            }
        }
        logs.waitFor();
        return -1;
    }

    static double imageMb() throws Exception {
        Process p = new ProcessBuilder("docker", "image", "inspect", "-f", "{{.Size}}", "nanoclaw-agent:latest").start();
        String size = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return size.isEmpty() ? -1 : Long.parseLong(size) / 1e6;
    }

    static long[] agentContainerMemory(Path home) throws Exception {
        Process ps = new ProcessBuilder("docker", "ps", "-q", "--filter", "label=nanoclaw-session").start();
        String id = new String(ps.getInputStream().readAllBytes()).lines().findFirst().orElse("").strip();
        ps.waitFor();
        if (id.isEmpty()) {
            return new long[] {-1, -1};
        }
        // the runner's own timing lines ("batch of 1 answered ... in N ms") go to stderr, to tell runner time
        // from host time when the reply latency moves
        Process logs = new ProcessBuilder("docker", "logs", "--tail", "6", id).redirectErrorStream(true).start();
        System.err.print("[bench] agent container log tail:\n" + new String(logs.getInputStream().readAllBytes()));
        logs.waitFor();
        Process pidP = new ProcessBuilder("docker", "inspect", "-f", "{{.State.Pid}} {{.Id}}", id).start();
        String[] parts = new String(pidP.getInputStream().readAllBytes()).strip().split(" ");
        pidP.waitFor();
        long pid = Long.parseLong(parts[0]);
        long rss = rssKb(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            rss += rssKb(child.pid());
        }
        long cgroup = -1;
        Path v1 = Path.of("/sys/fs/cgroup/memory/docker/" + parts[1] + "/memory.usage_in_bytes");
        if (Files.exists(v1)) {
            long usage = Long.parseLong(Files.readString(v1).strip());
            long cache = 0;
            for (String l : Files.readAllLines(v1.resolveSibling("memory.stat"))) {
                if (l.startsWith("total_inactive_file ")) {
                    cache = Long.parseLong(l.split(" ")[1]);
                }
            }
            cgroup = usage - cache; // what `docker stats` shows
        }
        return new long[] {rss, cgroup};
    }

    static String bridgeAddress() throws IOException {
        NetworkInterface nif = NetworkInterface.getByName("docker0");
        if (nif != null) {
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return a.getHostAddress();
                }
            }
        }
        throw new IllegalStateException("no docker0 bridge: is the Docker engine running?");
    }

    /** An instantly answering Messages API: every request gets "pong" as a streamed SSE reply. */
    static HttpServer fakeModel() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        s.createContext("/v1/messages", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("content-type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            String[][] events = {
                {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_b\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}"},
                {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"},
                {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"<message to=\\\"cli\\\">pong</message>\"}}"},
                {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
                {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":1}}"},
                {"message_stop", "{\"type\":\"message_stop\"}"}};
            try (OutputStream out = ex.getResponseBody()) {
                for (String[] e : events) {
                    out.write(("event: " + e[0] + "\ndata: " + e[1] + "\n\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        });
        s.start();
        return s;
    }
}
