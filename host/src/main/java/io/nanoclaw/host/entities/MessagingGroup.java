package io.nanoclaw.host.entities;

/** One chat or channel on one platform. */
public record MessagingGroup(String id, String channelType, String platformId, String name, boolean isGroup,
                             String unknownSenderPolicy, String deniedAt) {}
