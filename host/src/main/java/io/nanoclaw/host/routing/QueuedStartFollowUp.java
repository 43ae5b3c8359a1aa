package io.nanoclaw.host.routing;

import io.nanoclaw.host.containers.QueuedStart;
import io.nanoclaw.host.delivery.ActiveSessions;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.typing.TypingIndicators;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * What the router does when a wake starts a container, done for a queued session once its container starts: the
 * fast delivery path (a reply reaches the user well within a second, not at the next 1 s poll) and typing in the
 * session's chat.
 */
@Singleton
public class QueuedStartFollowUp {
    @Inject
    ActiveSessions active;
    @Inject
    TypingIndicators typing;
    @Inject
    MessagingGroups messagingGroups;

    void started(@Observes QueuedStart e) {
        active.markInFlight(e.session());
        if (e.session().messagingGroupId() != null) {
            messagingGroups.byId(e.session().messagingGroupId()).ifPresent(mg ->
                    typing.start(e.session(), mg.channelType(), mg.platformId(), e.session().threadId()));
        }
    }
}
