package io.nanoclaw.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a task's pre-task script decided: wake the agent (with the script's data) or not, and why not.
 *
 * @param data the script's {@code data}, or null
 * @param reason why the agent is not woken (for the log), or null when it is
 */
public record ScriptOutcome(boolean wakeAgent, JsonNode data, String reason) {
    static ScriptOutcome skip(String reason) {
        return new ScriptOutcome(false, null, reason);
    }
}
