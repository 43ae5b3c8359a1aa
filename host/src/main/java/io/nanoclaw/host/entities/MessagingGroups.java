package io.nanoclaw.host.entities;

import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

@Singleton
public class MessagingGroups {
    private static final String COLS =
            "id, channel_type, platform_id, name, is_group, unknown_sender_policy, denied_at";

    @Inject
    Db db;

    static MessagingGroup map(ResultSet rs) throws SQLException {
        return new MessagingGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getInt(5) != 0, rs.getString(6), rs.getString(7));
    }

    public Optional<MessagingGroup> find(String channelType, String platformId) {
        return db.one("SELECT " + COLS + " FROM messaging_groups WHERE channel_type = ? AND platform_id = ?",
                MessagingGroups::map, channelType, platformId);
    }

    public Optional<MessagingGroup> byId(String id) {
        return db.one("SELECT " + COLS + " FROM messaging_groups WHERE id = ?", MessagingGroups::map, id);
    }

    public MessagingGroup create(Connection c, String channelType, String platformId, String name, boolean isGroup,
                                 String policy) throws SQLException {
        MessagingGroup mg = new MessagingGroup(Ids.messagingGroup(), channelType, platformId, name, isGroup, policy,
                null);
        Db.exec(c, "INSERT INTO messaging_groups(id, channel_type, platform_id, name, is_group, "
                        + "unknown_sender_policy, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                mg.id(), channelType, platformId, name, isGroup ? 1 : 0, policy, Now.iso());
        return mg;
    }

    /** The chat for (channel, platform id), created with the request_approval policy when it is new. */
    public MessagingGroup createIfAbsent(String channelType, String platformId, boolean isGroup) {
        db.update("INSERT INTO messaging_groups(id, channel_type, platform_id, is_group, unknown_sender_policy, "
                        + "created_at) VALUES (?, ?, ?, ?, 'request_approval', ?) ON CONFLICT DO NOTHING",
                Ids.messagingGroup(), channelType, platformId, isGroup ? 1 : 0, Now.iso());
        return find(channelType, platformId).orElseThrow();
    }
}
