package io.nanoclaw.host.agents;

import io.nanoclaw.host.delivery.UndeliverableException;

/** An agent-to-agent message refused by a cap: the message is the full note for the agent. */
public class A2aLimitReached extends UndeliverableException {
    private final String userNotice;

    public A2aLimitReached(String agentNote, String userNotice) {
        super(agentNote);
        this.userNotice = userNotice;
    }

    /** For the user of the sending session, or null when they were told already. */
    public String userNotice() {
        return userNotice;
    }
}
