package io.nanoclaw.host.routing;

import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.Now;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Records messages that reached no agent, per chat, with a count (unregistered_senders). */
@Singleton
public class DropAudit {
    @Inject
    Db db;

    public void record(String channelType, String platformId, String userId, String senderName, String reason,
                       String mgId, String agId) {
        String now = Now.iso();
        db.update("INSERT INTO unregistered_senders(channel_type, platform_id, user_id, sender_name, reason, "
                        + "messaging_group_id, agent_group_id, message_count, first_seen, last_seen) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT(channel_type, platform_id) DO UPDATE SET "
                        + "message_count = message_count + 1, last_seen = excluded.last_seen, reason = excluded.reason, "
                        + "user_id = excluded.user_id, sender_name = excluded.sender_name",
                channelType, platformId, userId, senderName, reason, mgId, agId, now, now);
    }
}
