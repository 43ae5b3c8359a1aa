package io.nanoclaw.runner.store;

/**
 * One row of inbound {@code destinations}: a name the agent may address (agent-runner.md 4.1). Channel rows carry
 * the messaging group's address; agent rows the target agent group.
 *
 * @param type "channel" or "agent"
 */
public record Destination(String name, String displayName, String type, String channelType, String platformId,
                          String agentGroupId) {

    public boolean isAgent() {
        return "agent".equals(type);
    }

    /** Where rows for this destination go: (channel, platform) for a chat, ('agent', group) for an agent. */
    public Routing routing(String threadId) {
        return isAgent() ? new Routing(agentGroupId, "agent", null) : new Routing(platformId, channelType, threadId);
    }
}
