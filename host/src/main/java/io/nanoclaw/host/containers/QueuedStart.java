package io.nanoclaw.host.containers;

import io.nanoclaw.host.entities.Session;

/**
 * CDI event: a session that waited for a container slot now has its container. The wake that queued it returned
 * long ago, so whatever that wake would have done on success (fast delivery polling, typing) is done on this.
 */
public record QueuedStart(Session session) {}
