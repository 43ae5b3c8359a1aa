package io.nanoclaw.host.sessions;

import io.nanoclaw.host.entities.Ids;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds or creates the session a message belongs to (host.md 4.4). Find-or-create is serialised per key, so two
 * messages arriving together never create two sessions for one conversation.
 */
@Singleton
public class SessionResolver {
    @Inject
    Sessions sessions;

    @Inject
    SessionFolders folders;

    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param sessionMode shared, per-thread or agent-shared. agent-shared keeps one session per agent group, found
     *                    by the agent group alone (deterministic: the oldest active one), not "newest of any chat".
     */
    public Session resolve(String agentGroupId, String messagingGroupId, String threadId, String sessionMode) {
        String mg = messagingGroupId;
        String thread = "per-thread".equals(sessionMode) ? threadId : null;
        String key = "agent-shared".equals(sessionMode)
                ? agentGroupId + "|*"
                : agentGroupId + "|" + mg + "|" + thread;
        Object lock = locks.computeIfAbsent(key, k -> new Object());
        synchronized (lock) {
            var found = "agent-shared".equals(sessionMode)
                    ? sessions.findAgentShared(agentGroupId)
                    : sessions.findActive(agentGroupId, mg, thread);
            if (found.isPresent()) {
                return found.get();
            }
            Session s = new Session(Ids.session(), agentGroupId, mg, thread, "active", "stopped", null);
            folders.create(agentGroupId, s.id());
            sessions.insert(s);
            return s;
        }
    }
}
