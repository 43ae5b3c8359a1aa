package io.nanoclaw.host.attachments;

import io.nanoclaw.host.config.HostConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The attachment helpers are plain classes (tests build them directly); the host gets one of each here. */
public class AttachmentBeans {
    @Produces
    @Singleton
    InboxWriter inboxWriter(HostConfig config) {
        return new InboxWriter(ContainerOwnership.ofUid(config.containerUid()));
    }

    /** Outbox files are staged in a host-only folder that no container mounts. */
    @Produces
    @Singleton
    OutboxFiles outboxFiles(HostConfig config) {
        return new OutboxFiles(config.dataDir().resolve("tmp").resolve("outbox"));
    }
}
