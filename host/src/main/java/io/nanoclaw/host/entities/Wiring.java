package io.nanoclaw.host.entities;

/** A messaging_group_agents row: how one chat reaches one agent group. */
public record Wiring(String id, String messagingGroupId, String agentGroupId, String engageMode,
                     String engagePattern, String senderScope, String ignoredMessagePolicy, String sessionMode,
                     int priority) {}
