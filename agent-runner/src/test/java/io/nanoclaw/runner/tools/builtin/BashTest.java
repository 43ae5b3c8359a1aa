package io.nanoclaw.runner.tools.builtin;

import static io.nanoclaw.runner.tools.builtin.ToolFixture.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BashTest {
    @TempDir
    Path ws;

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final ToolContext.Liveness recorder = new ToolContext.Liveness() {
        @Override
        public void started(String tool, long declaredTimeoutMs) {
            events.add("started " + tool + " " + declaredTimeoutMs);
        }

        @Override
        public void stillWorking() {
            events.add("working");
        }

        @Override
        public void finished() {
            events.add("finished");
        }
    };

    private ToolResult bash(String inputJson) throws Exception {
        return new Bash().run(Json.parse(inputJson), new ToolContext(ws, List.of(ws), recorder));
    }

    @Test
    void runsInTheWorkingDirWithStdoutAndStderr() throws Exception {
        ToolResult r = bash("{\"command\":\"pwd; echo oops >&2\",\"description\":\"where am I\"}");
        assertFalse(r.isError(), r.text());
        assertEquals(ws.toRealPath() + "\noops\n", r.text());
        assertEquals("started Bash 120000", events.get(0));
        assertEquals("finished", events.get(events.size() - 1));
    }

    @Test
    void inheritsTheEnvironmentAndHasNoStdin() throws Exception {
        ToolResult r = bash("{\"command\":\"echo $PATH; cat\"}");
        assertFalse(r.isError());
        assertEquals(System.getenv("PATH") + "\n", r.text());
    }

    @Test
    void nonZeroExitIsAnErrorWithTheCode() throws Exception {
        ToolResult r = bash("{\"command\":\"echo before; exit 3\"}");
        assertTrue(r.isError());
        assertEquals("before\nExit code 3", r.text());
        assertEquals("(no output)", bash("{\"command\":\"true\"}").text());
        assertTrue(bash("{}").isError());
    }

    @Test
    void capsOutputKeepingHeadAndTail() throws Exception {
        ToolResult r = bash("{\"command\":\"echo START; head -c 100000 /dev/zero | tr '\\\\0' x; echo; echo END\"}");
        assertFalse(r.isError());
        assertTrue(r.text().length() < Bash.OUTPUT_CAP + 100, "length " + r.text().length());
        assertTrue(r.text().startsWith("START\n"));
        assertTrue(r.text().endsWith("\nEND\n"));
        assertTrue(r.text().contains(" chars cut …"), r.text().substring(14_990, 15_060));
    }

    @Test
    void timeoutKillsTheWholeProcessGroup() throws Exception {
        String marker = "sleep 1" + System.nanoTime() % 1000 + "9";
        long started = System.nanoTime();
        // A plain child, an orphaned grandchild (not a descendant any more: only the group kill reaches it), and
        // the foreground sleep.
        ToolResult r = bash("{\"command\":" + q("echo go; " + marker + " & (" + marker + " &); " + marker)
                + ",\"timeout\":1000}");
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(r.isError());
        assertTrue(r.text().startsWith("go\n"), r.text());
        assertTrue(r.text().contains("timed out after 1000 ms"), r.text());
        assertTrue(ms < 5000, "took " + ms + " ms");
        assertTrue(events.contains("working"));
        assertEquals(List.of(), processesRunning(marker));
    }

    @Test
    void backgroundRunReturnsAtOnceWithPidAndOutputFile() throws Exception {
        long started = System.nanoTime();
        ToolResult r = bash("{\"command\":\"echo hello-bg; sleep 0.3; echo done-bg\",\"run_in_background\":true}");
        assertTrue((System.nanoTime() - started) / 1_000_000 < 250, "returned at once");
        assertFalse(r.isError(), r.text());
        Matcher m = Pattern.compile("pid (\\d+), output \\(stdout and stderr\\) in (\\S+\\.log)").matcher(r.text());
        assertTrue(m.find(), r.text());
        Path log = Path.of(m.group(2));
        assertTrue(log.startsWith(ws.toRealPath()), "log under the temp root: " + log);
        long deadline = System.currentTimeMillis() + 5000;
        while (!Files.readString(log).contains("done-bg") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("hello-bg\ndone-bg\n", Files.readString(log));
    }

    @Test
    void processCheckSeesALiveSleep() throws Exception {
        Process p = new ProcessBuilder("sleep", "4242").start();
        try {
            assertEquals(1, processesRunning("sleep 4242").size());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    private static List<String> processesRunning(String commandLine) {
        List<String> out = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> p.info().commandLine()
                .filter(c -> c.contains(commandLine) && !c.contains("bash -c"))
                .ifPresent(c -> out.add(p.pid() + " " + c)));
        return out;
    }
}
