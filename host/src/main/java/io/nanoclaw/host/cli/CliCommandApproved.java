package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.approvals.ApprovedAction;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * An admin approved an agent's gated {@code ncl} command (host.md 6.5, {@code cli_command}): it runs now as the
 * operator would run it (the arguments were already held to the agent's scope when it asked), and the agent is
 * told the result.
 */
@Singleton
public class CliCommandApproved implements ApprovedAction {
    static final int MAX_RESULT = 2000;

    @Inject
    NclDispatcher dispatcher;

    @Override
    public String action() {
        return NclDispatcher.APPROVAL_ACTION;
    }

    @Override
    public String apply(Session requester, JsonNode payload) throws Exception {
        String command = payload.path("command").asText("");
        try {
            JsonNode data = dispatcher.run(payload.get("command"), payload.get("args"), NclCaller.OPERATOR);
            String text = data.toString();
            if (text.length() > MAX_RESULT) {
                text = text.substring(0, MAX_RESULT) + "…";
            }
            return "ncl " + NclDispatcher.words(command) + " done: " + text;
        } catch (NclException e) {
            throw new Exception("ncl " + NclDispatcher.words(command) + ": error (" + e.code() + "): " + e.getMessage());
        }
    }
}
