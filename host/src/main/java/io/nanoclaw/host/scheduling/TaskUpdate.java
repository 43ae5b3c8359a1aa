package io.nanoclaw.host.scheduling;

import java.time.Instant;

/**
 * Changes to merge into a task's live rows. A null {@code prompt} or {@code processAfter} leaves it as it is;
 * script and recurrence can also be cleared, so each has a flag saying whether it changes (to the value, which
 * may be null).
 */
public record TaskUpdate(String prompt, Instant processAfter, boolean changeScript, String script,
                         boolean changeRecurrence, String recurrence) {

    public static TaskUpdate none() {
        return new TaskUpdate(null, null, false, null, false, null);
    }

    public TaskUpdate withPrompt(String p) {
        return new TaskUpdate(p, processAfter, changeScript, script, changeRecurrence, recurrence);
    }

    public TaskUpdate withProcessAfter(Instant t) {
        return new TaskUpdate(prompt, t, changeScript, script, changeRecurrence, recurrence);
    }

    /** null clears the script. */
    public TaskUpdate withScript(String s) {
        return new TaskUpdate(prompt, processAfter, true, s, changeRecurrence, recurrence);
    }

    /** null clears the recurrence. */
    public TaskUpdate withRecurrence(String r) {
        return new TaskUpdate(prompt, processAfter, changeScript, script, true, r);
    }

    public boolean isEmpty() {
        return prompt == null && processAfter == null && !changeScript && !changeRecurrence;
    }
}
