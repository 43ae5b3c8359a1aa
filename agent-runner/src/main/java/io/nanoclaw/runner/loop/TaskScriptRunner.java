package io.nanoclaw.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.tools.builtin.Bash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one pre-task script (agent-runner.md 1.5 step 6): written to {@code task-script-<id>.sh} in the temp
 * folder (mode 755), run with bash in the agent's folder with the inherited env, killed with its whole process
 * group after the time limit, then deleted. The last non-empty stdout line must be JSON
 * {@code {"wakeAgent": bool, "data"?: any}}; anything else (an error, a timeout, more than 1 MiB of output, bad
 * JSON) means the agent is not woken.
 */
public final class TaskScriptRunner {
    static final long DEFAULT_TIMEOUT_MS = 30_000;
    static final int MAX_OUTPUT_BYTES = 1 << 20;

    private final Path tmpDir;
    private final Path workingDir;
    private final long timeoutMs;

    public TaskScriptRunner(Path tmpDir, Path workingDir, long timeoutMs) {
        this.tmpDir = tmpDir;
        this.workingDir = workingDir;
        this.timeoutMs = timeoutMs;
    }

    public static TaskScriptRunner standard(Path workingDir) {
        return new TaskScriptRunner(Path.of(System.getProperty("java.io.tmpdir")), workingDir, DEFAULT_TIMEOUT_MS);
    }

    public ScriptOutcome run(String taskId, String script) throws InterruptedException {
        String safeId = taskId.replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = tmpDir.resolve("task-script-" + safeId + ".sh");
        try {
            Files.deleteIfExists(file);
            Files.writeString(file, script, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return execute(file);
        } catch (IOException e) {
            return ScriptOutcome.skip("cannot run the script: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover script in /tmp is harmless and goes with the container
            }
        }
    }

    private ScriptOutcome execute(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Bash.inNewGroup(List.of("bash", file.toString())))
                .directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Capture out = Capture.start(p.getInputStream(), MAX_OUTPUT_BYTES);
        Capture err = Capture.start(p.getErrorStream(), 8192);
        if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            Bash.killGroup(p);
            return ScriptOutcome.skip("timed out after " + timeoutMs + " ms");
        }
        out.join();
        err.join();
        if (out.overflowed()) {
            return ScriptOutcome.skip("wrote more than " + MAX_OUTPUT_BYTES + " bytes to stdout");
        }
        if (p.exitValue() != 0) {
            String stderr = err.text().strip();
            return ScriptOutcome.skip("exit code " + p.exitValue() + (stderr.isEmpty() ? "" : ": " + abbreviate(stderr)));
        }
        return decide(out.text());
    }

    static ScriptOutcome decide(String stdout) {
        String last = null;
        for (String line : stdout.split("\n")) {
            if (!line.isBlank()) {
                last = line.strip();
            }
        }
        if (last == null) {
            return ScriptOutcome.skip("printed nothing");
        }
        JsonNode n;
        try {
            n = Json.parse(last);
        } catch (IOException e) {
            return ScriptOutcome.skip("last line is not JSON: " + abbreviate(last));
        }
        if (n == null || !n.isObject() || !n.path("wakeAgent").isBoolean()) {
            return ScriptOutcome.skip("last line has no boolean wakeAgent: " + abbreviate(last));
        }
        if (!n.get("wakeAgent").booleanValue()) {
            return ScriptOutcome.skip("wakeAgent is false");
        }
        JsonNode data = n.get("data");
        return new ScriptOutcome(true, data == null || data.isNull() ? null : data, null);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /** Reads a stream to its end on a daemon thread, keeping at most {@code cap} bytes. */
    private static final class Capture {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final Thread thread;
        private volatile boolean overflowed;

        private Capture(InputStream in, int cap) {
            thread = new Thread(() -> {
                byte[] chunk = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(chunk)) >= 0) {
                        int room = cap - buf.size();
                        if (n > room) {
                            overflowed = true;
                        }
                        buf.write(chunk, 0, Math.max(0, Math.min(n, room)));
                    }
                } catch (IOException e) {
                    Log.warn("task-script", "output read failed: " + e.getMessage());
                }
            }, "task-script-output");
            thread.setDaemon(true);
        }

        static Capture start(InputStream in, int cap) {
            Capture c = new Capture(in, cap);
            c.thread.start();
            return c;
        }

        void join() throws InterruptedException {
            thread.join(2000);
        }

        boolean overflowed() {
            return overflowed;
        }

        String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
