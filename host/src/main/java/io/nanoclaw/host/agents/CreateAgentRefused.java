package io.nanoclaw.host.agents;

/** A create_agent that can't be done as asked; the message is told to the agent as it is. */
public class CreateAgentRefused extends Exception {
    public CreateAgentRefused(String message) {
        super(message);
    }
}
