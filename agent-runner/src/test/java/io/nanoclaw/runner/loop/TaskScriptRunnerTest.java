package io.nanoclaw.runner.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pre-task scripts (agent-runner.md 1.5 step 6): the wakeAgent contract and the time limit. */
class TaskScriptRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void theLastLineDecides() throws Exception {
        ScriptOutcome o = new TaskScriptRunner(tmp, tmp, 5000)
                .run("task-1", "echo '{\"wakeAgent\":false}'\necho '{\"wakeAgent\":true,\"data\":[1,2]}'\n");
        assertTrue(o.wakeAgent());
        assertEquals("[1,2]", o.data().toString());
        assertFalse(Files.exists(tmp.resolve("task-script-task-1.sh")), "the script file is removed");
    }

    @Test
    void badOutputAndErrorsDoNotWakeTheAgent() throws Exception {
        TaskScriptRunner r = new TaskScriptRunner(tmp, tmp, 5000);
        assertEquals("wakeAgent is false", r.run("a", "echo '{\"wakeAgent\":false}'").reason());
        assertTrue(r.run("b", "echo hello").reason().startsWith("last line is not JSON"));
        assertTrue(r.run("c", "echo '{\"wake\":true}'").reason().startsWith("last line has no boolean"));
        assertTrue(r.run("d", "echo oops >&2; exit 3").reason().equals("exit code 3: oops"));
        assertEquals("printed nothing", r.run("e", "true").reason());
        assertTrue(r.run("f", "head -c 2000000 /dev/zero | tr '\\0' x").reason().startsWith("wrote more than"));
    }

    @Test
    void aScriptPastItsLimitIsKilledWithItsChildren() throws Exception {
        Path marker = tmp.resolve("survived");
        long started = System.nanoTime();
        ScriptOutcome o = new TaskScriptRunner(tmp, tmp, 500)
                .run("slow", "(sleep 2; touch " + marker + ") &\nsleep 30\n");
        assertTrue(o.reason().startsWith("timed out after 500 ms"), o.reason());
        assertTrue(System.nanoTime() - started < 10_000_000_000L);
        Thread.sleep(2500);
        assertFalse(Files.exists(marker), "the background child was killed too");
    }

    @Test
    void aHostileTaskIdStaysInTheTempFolder() throws Exception {
        Path scripts = Files.createDirectories(tmp.resolve("a/b"));
        ScriptOutcome o = new TaskScriptRunner(scripts, tmp, 5000)
                .run("../../etc/x", "cp \"$0\" " + tmp.resolve("copy.sh") + "; echo '{\"wakeAgent\":true}'");
        assertTrue(o.wakeAgent());
        assertFalse(Files.exists(tmp.resolve("etc")), "no path escape through the id");
        assertTrue(Files.exists(tmp.resolve("copy.sh")), "the script ran from inside the scripts folder");
    }
}
