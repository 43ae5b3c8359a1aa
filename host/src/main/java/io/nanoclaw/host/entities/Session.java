package io.nanoclaw.host.entities;

/** A conversation of one agent group; it owns a folder with inbound.db and outbound.db, and one container. */
public record Session(String id, String agentGroupId, String messagingGroupId, String threadId, String status,
                      String containerStatus, String lastActive) {}
