package io.nanoclaw.runner.tools.nanoclaw;

import io.nanoclaw.runner.store.Routing;
import java.sql.SQLException;

/**
 * The session's own chat, for questions and cards (they go nowhere else). Upstream writes such a row with no
 * address when the session has no chat, and the host drops it, so a question then waits its whole timeout for an
 * answer that can't come; here the agent is told at once.
 */
final class SessionChat {
    private SessionChat() {}

    static Routing require(NanoclawToolEnv env, String what) throws Refusal, SQLException {
        return env.inbound().sessionRouting().orElseThrow(() -> new Refusal("this session has no conversation of"
                + " its own to " + what + " (no session routing); use send_message with \"to\" instead"));
    }
}
