package io.nanoclaw.host.sessions;

import io.nanoclaw.host.entities.Destinations;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Projects an agent group's destinations (the central agent_destinations rows) and a session's default reply
 * address into the session's inbound.db (host.md 4.10): on every wake, and into every active session of the group
 * after any change, so the container's view of where it may send is never stale.
 */
@Singleton
public class DestinationProjection {
    private static final Logger LOG = Logger.getLogger(DestinationProjection.class);

    @Inject
    Sessions sessions;
    @Inject
    Destinations destinations;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    InboundWriter inbound;

    public void project(Session s) {
        String ct = null;
        String pid = null;
        if (s.messagingGroupId() != null) {
            Optional<MessagingGroup> mg = messagingGroups.byId(s.messagingGroupId());
            if (mg.isPresent()) {
                ct = mg.get().channelType();
                pid = mg.get().platformId();
            }
        }
        inbound.project(s.agentGroupId(), s.id(), destinations.projectionFor(s.agentGroupId()), ct, pid,
                s.threadId());
    }

    /** After a change to a group's destinations: re-project into each of its active sessions. */
    public int reproject(String agentGroupId) {
        int n = 0;
        for (Session s : sessions.activeOf(agentGroupId)) {
            try {
                project(s);
                n++;
            } catch (RuntimeException e) {
                // One broken session folder must not keep the others stale.
                LOG.warnf("re-projecting destinations into session %s: %s", s.id(), e.getMessage());
            }
        }
        return n;
    }
}
