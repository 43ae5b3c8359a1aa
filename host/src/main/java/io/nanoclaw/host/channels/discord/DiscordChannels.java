package io.nanoclaw.host.channels.discord;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What the adapter knows of Discord channels: kind, parent (for threads) and name. Filled from GUILD_CREATE,
 * CHANNEL_* and THREAD_* events, and on a miss from {@code GET /channels/{id}}; bounded (least recently used go).
 */
final class DiscordChannels {
    private static final Logger LOG = Logger.getLogger(DiscordChannels.class);
    static final int MAX_ENTRIES = 5_000;

    /** Channel types that are threads: announcement, public and private threads. */
    static boolean isThread(int type) {
        return type == 10 || type == 11 || type == 12;
    }

    record Info(String id, int type, String parentId, String name, String guildId) {
        boolean thread() {
            return isThread(type) && parentId != null;
        }
    }

    private final DiscordRest rest;
    private final Map<String, Info> byId = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Info> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    DiscordChannels(DiscordRest rest) {
        this.rest = rest;
    }

    /** Remembers a channel object from an event or a REST answer; ignores anything without an id and type. */
    void remember(JsonNode ch, String guildId) {
        if (ch == null || !ch.isObject() || !ch.path("id").isTextual() || !ch.path("type").isInt()) {
            return;
        }
        String g = ch.path("guild_id").isTextual() ? ch.path("guild_id").asText() : guildId;
        Info info = new Info(ch.path("id").asText(), ch.path("type").asInt(),
                ch.path("parent_id").isTextual() ? ch.path("parent_id").asText() : null,
                ch.path("name").isTextual() ? ch.path("name").asText() : null, g);
        synchronized (byId) {
            byId.put(info.id(), info);
        }
    }

    void forget(JsonNode ch) {
        if (ch != null && ch.path("id").isTextual()) {
            synchronized (byId) {
                byId.remove(ch.path("id").asText());
            }
        }
    }

    void rememberGuild(JsonNode guild) {
        String gid = guild.path("id").isTextual() ? guild.path("id").asText() : null;
        guild.path("channels").forEach(c -> remember(c, gid));
        guild.path("threads").forEach(c -> remember(c, gid));
    }

    Optional<Info> cached(String id) {
        synchronized (byId) {
            return Optional.ofNullable(byId.get(id));
        }
    }

    /** The channel, from the cache or asked of Discord (blocking); empty when Discord can't say. */
    Optional<Info> lookup(String id) {
        Optional<Info> c = cached(id);
        if (c.isPresent()) {
            return c;
        }
        if (!DiscordIds.isSnowflake(id)) {
            return Optional.empty();
        }
        try {
            remember(rest.get("/channels/" + id), null);
        } catch (Exception e) {
            LOG.debugf("GET /channels/%s: %s", id, e.getMessage());
        }
        return cached(id);
    }
}
