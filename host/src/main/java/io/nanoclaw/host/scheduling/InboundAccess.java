package io.nanoclaw.host.scheduling;

import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;

/** Runs work on a session's inbound.db writer: SessionDbs in production, a plain connection in tests. */
interface InboundAccess {
    <T> T withInbound(Session s, SessionDbs.Work<T> work);
}
