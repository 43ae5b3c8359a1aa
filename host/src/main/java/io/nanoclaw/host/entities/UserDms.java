package io.nanoclaw.host.entities;

import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * A user's direct-message chat (host.md 4.9 ensureUserDm), for approval cards. No adapter here opens DMs, so the
 * handle after the {@code <channel>:} prefix is the platform id (as on Telegram, WhatsApp, email, Matrix). A user
 * whose channel is not running has no reachable DM.
 */
@Singleton
public class UserDms {
    @Inject
    Db db;
    @Inject
    ChannelRegistry channels;
    @Inject
    MessagingGroups messagingGroups;

    public Optional<MessagingGroup> ensure(String userId) {
        int colon = userId == null ? -1 : userId.indexOf(':');
        if (colon <= 0 || colon == userId.length() - 1) {
            return Optional.empty();
        }
        if (db.one("SELECT 1 FROM users WHERE id = ?", rs -> 1, userId).isEmpty()) {
            return Optional.empty(); // only known users get a DM (and user_dms references users)
        }
        String channelType = userId.substring(0, colon);
        String handle = userId.substring(colon + 1);
        if (channels.get(channelType).isEmpty()) {
            // Teams-style ids: the user's kind names the channel and the whole id is the handle
            Optional<String> kind = db.one("SELECT kind FROM users WHERE id = ?", rs -> rs.getString(1), userId);
            if (kind.isEmpty() || channels.get(kind.get()).isEmpty()) {
                return Optional.empty();
            }
            channelType = kind.get();
            handle = userId;
        }
        String ct = channelType;
        Optional<MessagingGroup> cached = db.one("SELECT messaging_group_id FROM user_dms WHERE user_id = ? "
                + "AND channel_type = ?", rs -> rs.getString(1), userId, ct).flatMap(messagingGroups::byId);
        if (cached.isPresent()) {
            return cached;
        }
        String platformId = handle;
        MessagingGroup mg = db.inTransaction(c -> {
            Optional<MessagingGroup> existing = messagingGroups.find(ct, platformId);
            MessagingGroup dm = existing.isPresent() ? existing.get()
                    : messagingGroups.create(c, ct, platformId, null, false, "strict");
            Db.exec(c, "INSERT INTO user_dms(user_id, channel_type, messaging_group_id, resolved_at) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT(user_id, channel_type) DO UPDATE SET "
                    + "messaging_group_id = excluded.messaging_group_id, resolved_at = excluded.resolved_at",
                    userId, ct, dm.id(), Now.iso());
            return dm;
        });
        return Optional.of(mg);
    }
}
