package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Claude Code's Bash: {@code bash -c} in the working folder with the inherited environment (proxy settings
 * included). The command runs in its own process group (via setsid), so a timeout kills everything it started,
 * not just bash.
 */
public final class Bash implements Tool {
    static final long DEFAULT_TIMEOUT_MS = 120_000;
    static final long MAX_TIMEOUT_MS = 600_000;
    static final int OUTPUT_CAP = 30_000;
    static final long PULSE_MS = 2_000;
    /** After bash exits, how long to wait for output still in the pipe (a background child may hold it open). */
    static final long DRAIN_MS = 500;
    static final long TERM_GRACE_MS = 2_000;

    private static final String SETSID = findSetsid();

    private static final ObjectNode SCHEMA = Schema.object()
            .property("command", "string", "The command to execute", true)
            .property("timeout", "number", "Optional timeout in milliseconds (max 600000)", false)
            .property("description", "string",
                    "Clear, concise description of what this command does in 5-10 words", false)
            .property("run_in_background", "boolean",
                    "Set to true to run this command in the background. Its output goes to a file you can read"
                            + " later.", false)
            .build();

    @Override
    public String name() {
        return "Bash";
    }

    @Override
    public String description() {
        return "Executes a bash command in the working folder and returns its output (stdout and stderr together,"
                + " cut to 30000 characters: the start and the end are kept). Default timeout 120000 ms (2 minutes),"
                + " at most 600000; on timeout the command and everything it started is killed. A non-zero exit"
                + " code is reported as an error. Use run_in_background for servers and long jobs: you get the pid"
                + " and an output file to read later. Prefer Read, Edit, Write, Glob and Grep for file work.";
    }

    @Override
    public ObjectNode inputSchema() {
        return SCHEMA.deepCopy();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public ToolResult run(JsonNode input, ToolContext context) throws InterruptedException {
        String command;
        long timeout;
        boolean background;
        try {
            command = Input.requiredString(input, "command");
            Long t = Input.optionalLong(input, "timeout");
            timeout = t == null || t <= 0 ? DEFAULT_TIMEOUT_MS : Math.min(t, MAX_TIMEOUT_MS);
            background = Input.optionalBoolean(input, "run_in_background", false);
        } catch (BadInput e) {
            return ToolResult.error(e.getMessage());
        }
        if (command.isBlank()) {
            return ToolResult.error("command is empty");
        }
        try {
            return background ? background(command, context) : foreground(command, timeout, context);
        } catch (IOException e) {
            return ToolResult.error("cannot run bash: " + e.getMessage());
        }
    }

    /**
     * The argv run as the leader of a new process group (via setsid when the system has it), so that
     * {@link #killGroup} reaches every child: task scripts use this too.
     */
    public static List<String> inNewGroup(List<String> argv) {
        List<String> all = new ArrayList<>(argv.size() + 1);
        if (SETSID != null) {
            all.add(SETSID);
        }
        all.addAll(argv);
        return all;
    }

    private static ProcessBuilder builder(String command, ToolContext context) {
        List<String> argv = new ArrayList<>();
        if (SETSID != null) {
            // Java's child is not a group leader, so setsid execs in place: bash's pid is the new group's id.
            argv.add(SETSID);
        }
        argv.add("bash");
        argv.add("-c");
        argv.add(command);
        return new ProcessBuilder(argv)
                .directory(context.workingDir().toFile())
                .redirectErrorStream(true)
                // No stdin: a command that waits for input would otherwise hang until the timeout.
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }

    private static ToolResult foreground(String command, long timeout, ToolContext context)
            throws IOException, InterruptedException {
        ToolContext.Liveness liveness = context.liveness();
        liveness.started("Bash", timeout);
        Process process = null;
        try {
            process = builder(command, context).start();
            HeadTail output = new HeadTail(OUTPUT_CAP / 2);
            Thread reader = drain(process, output);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
            boolean exited = false;
            while (!exited) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                exited = process.waitFor(Math.min(left, TimeUnit.MILLISECONDS.toNanos(PULSE_MS)),
                        TimeUnit.NANOSECONDS);
                liveness.stillWorking();
            }
            if (!exited) {
                killGroup(process);
                reader.join(DRAIN_MS);
                return ToolResult.error(withOutput(output,
                        "Command timed out after " + timeout + " ms; it and its child processes were killed."));
            }
            reader.join(DRAIN_MS);
            int code = process.exitValue();
            if (code != 0) {
                return ToolResult.error(withOutput(output, "Exit code " + code));
            }
            String text = output.toString();
            return ToolResult.ok(text.isEmpty() ? "(no output)" : text);
        } catch (InterruptedException e) {
            if (process != null) {
                killGroup(process);
            }
            throw e;
        } finally {
            liveness.finished();
        }
    }

    private static String withOutput(HeadTail output, String status) {
        String text = output.toString();
        return text.isEmpty() ? status : text + (text.endsWith("\n") ? "" : "\n") + status;
    }

    private static Thread drain(Process process, HeadTail output) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) >= 0) {
                    output.append(buf, 0, n);
                }
            } catch (IOException e) {
                // the pipe closed under us (process killed): keep what we have
            }
        }, "bash-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * TERM to the whole group, then KILL to whatever is left after a grace period. Signals go through bash's
     * builtin kill: bash is in the image anyway, a kill binary may not be.
     */
    public static void killGroup(Process process) throws InterruptedException {
        long pgid = process.pid();
        List<ProcessHandle> descendants = process.descendants().toList();
        if (SETSID != null) {
            signalGroup("TERM", pgid);
        }
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TERM_GRACE_MS);
        while (System.nanoTime() < deadline && (groupAlive(pgid) || process.isAlive())) {
            Thread.sleep(50);
        }
        if (SETSID != null) {
            signalGroup("KILL", pgid);
        }
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(1, TimeUnit.SECONDS);
    }

    private static void signalGroup(String signal, long pgid) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("bash", "-c", "kill -" + signal + " -- -" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // cannot start bash: destroy() on the handles is the fallback
        }
    }

    /** Whether any process is left in the group (kill -0 succeeds). */
    private static boolean groupAlive(long pgid) throws InterruptedException {
        if (SETSID == null) {
            return false;
        }
        try {
            Process kill = new ProcessBuilder("bash", "-c", "kill -0 -- -" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor(2, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static ToolResult background(String command, ToolContext context) throws IOException {
        Path log = Files.createTempFile(tempDir(context), "bash-", ".log");
        Process process = builder(command, context)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return ToolResult.ok("Started in the background: pid " + process.pid() + ", output (stdout and stderr) in "
                + log + ". Read that file to check on it; stop it with kill -TERM -" + process.pid() + ".");
    }

    /** The first allowed root that is the temp folder, else java.io.tmpdir. */
    static Path tempDir(ToolContext context) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path realTmp = real(tmp);
        for (Path root : context.allowedRoots()) {
            Path r = real(root);
            if (r.equals(realTmp) || r.equals(Path.of("/tmp")) || r.startsWith(realTmp)) {
                return r;
            }
        }
        return tmp;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static String findSetsid() {
        for (String p : new String[] {"/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }
}
