package io.nanoclaw.host.approvals;

/** A row of pending_approvals: an agent's request waiting for an admin's click. */
public record PendingApproval(String id, String sessionId, String agentGroupId, String action, String payload,
                              String channelType, String platformId, String platformMessageId,
                              String approverUserId, String expiresAt, String status, String title) {}
