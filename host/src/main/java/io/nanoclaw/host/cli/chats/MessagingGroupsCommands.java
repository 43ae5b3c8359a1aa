package io.nanoclaw.host.cli.chats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclArgs;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCommand;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclList;
import io.nanoclaw.host.cli.NclRows;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.Destinations;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Now;
import io.nanoclaw.host.sessions.DestinationProjection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code ncl messaging-groups ...}: chats and channels on the platforms. */
public final class MessagingGroupsCommands {
    private MessagingGroupsCommands() {}

    static final String COLS = "id, channel_type, platform_id, name, is_group, unknown_sender_policy, denied_at, "
            + "created_at";
    static final String[] POLICIES = {"strict", "request_approval", "public"};

    static MessagingGroup chat(MessagingGroups chats, String id) throws NclException {
        return chats.byId(id).orElseThrow(() -> new NclException(NclException.NOT_FOUND, "no messaging group '" + id
                + "' (see `ncl messaging-groups list`)"));
    }

    @Singleton
    public static class ListAll extends NclList {
        public ListAll() {
            super("messaging-groups-list", "chats and channels", "SELECT " + COLS + " FROM messaging_groups",
                    List.of("id", "channel_type", "platform_id", "name", "is_group", "unknown_sender_policy",
                            "denied_at", "created_at"), Map.of(), "created_at, id");
        }
    }

    @Singleton
    public static class Get extends NclCommand {
        @Inject
        Db db;
        @Inject
        MessagingGroups chats;

        public Get() {
            super("messaging-groups-get", NclAccess.OPEN, "--id <messaging group>", "one chat with its wirings");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            MessagingGroup mg = chat(chats, call.require("id"));
            ObjectNode n = NclRows.one(db, "SELECT " + COLS + " FROM messaging_groups WHERE id = ?", mg.id())
                    .orElseThrow();
            n.set("wirings", NclRows.array(db.query("SELECT id, agent_group_id, engage_mode, session_mode, priority "
                    + "FROM messaging_group_agents WHERE messaging_group_id = ? ORDER BY priority DESC, created_at",
                    NclRows::row, mg.id())));
            return n;
        }
    }

    @Singleton
    public static class Create extends NclCommand {
        @Inject
        Db db;
        @Inject
        MessagingGroups chats;

        public Create() {
            super("messaging-groups-create", NclAccess.APPROVAL, "--channel-type <t> --platform-id <id> "
                    + "[--name n] [--is-group] [--unknown-sender-policy strict|request_approval|public]",
                    "register a chat (wire it to an agent with `ncl wirings create`)");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            String ct = call.require("channel_type");
            if (!ct.matches("[a-z][a-z0-9_-]{0,31}")) {
                throw new NclException(NclException.INVALID_ARGS, "--channel-type must be a channel name like "
                        + "telegram or discord, not '" + ct + "'");
            }
            call.require("platform_id");
            NclArgs.bool(call, "is_group");
            NclArgs.oneOf(call, "unknown_sender_policy", POLICIES);
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String ct = call.require("channel_type");
            String pid = call.require("platform_id");
            var existing = chats.find(ct, pid);
            if (existing.isPresent()) {
                throw new NclException(NclException.INVALID_ARGS, "that chat is already registered as "
                        + existing.get().id());
            }
            String policy = NclArgs.oneOf(call, "unknown_sender_policy", POLICIES);
            boolean isGroup = Boolean.TRUE.equals(NclArgs.bool(call, "is_group"));
            MessagingGroup mg = db.inTransaction(c -> chats.create(c, ct, pid, call.optional("name"), isGroup,
                    policy == null ? "strict" : policy));
            return NclRows.one(db, "SELECT " + COLS + " FROM messaging_groups WHERE id = ?", mg.id()).orElseThrow();
        }
    }

    @Singleton
    public static class Update extends NclCommand {
        @Inject
        Db db;
        @Inject
        MessagingGroups chats;
        @Inject
        Destinations destinations;
        @Inject
        DestinationProjection projection;

        public Update() {
            super("messaging-groups-update", NclAccess.APPROVAL, "--id <messaging group> [--name n] [--is-group "
                    + "true|false] [--unknown-sender-policy strict|request_approval|public] [--denied true|false]",
                    "change a chat's name, kind, unknown-sender policy or denial");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("id");
            NclArgs.bool(call, "is_group");
            NclArgs.bool(call, "denied");
            NclArgs.oneOf(call, "unknown_sender_policy", POLICIES);
            if (call.optional("name") == null && call.optional("is_group") == null && call.optional("denied") == null
                    && call.optional("unknown_sender_policy") == null) {
                throw new NclException(NclException.INVALID_ARGS, "nothing to change: give --name, --is-group, "
                        + "--unknown-sender-policy or --denied");
            }
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            MessagingGroup mg = chat(chats, call.require("id"));
            StringBuilder sql = new StringBuilder("UPDATE messaging_groups SET id = id");
            List<Object> p = new ArrayList<>();
            if (call.optional("name") != null) {
                sql.append(", name = ?");
                p.add(call.optional("name"));
            }
            Boolean isGroup = NclArgs.bool(call, "is_group");
            if (isGroup != null) {
                sql.append(", is_group = ?");
                p.add(isGroup ? 1 : 0);
            }
            String policy = NclArgs.oneOf(call, "unknown_sender_policy", POLICIES);
            if (policy != null) {
                sql.append(", unknown_sender_policy = ?");
                p.add(policy);
            }
            Boolean denied = NclArgs.bool(call, "denied");
            if (denied != null) {
                sql.append(", denied_at = ?");
                p.add(denied ? Now.iso() : null);
            }
            p.add(mg.id());
            db.update(sql.append(" WHERE id = ?").toString(), p.toArray());
            // destinations show the chat's name: the groups that can send there see the change at once
            destinations.groupsPointingAt("channel", mg.id()).forEach(projection::reproject);
            return NclRows.one(db, "SELECT " + COLS + " FROM messaging_groups WHERE id = ?", mg.id()).orElseThrow();
        }
    }

    @Singleton
    public static class Delete extends NclCommand {
        @Inject
        Db db;
        @Inject
        MessagingGroups chats;
        @Inject
        Destinations destinations;
        @Inject
        DestinationProjection projection;

        public Delete() {
            super("messaging-groups-delete", NclAccess.APPROVAL, "--id <messaging group>",
                    "forget a chat: its wirings and the destinations that point at it go too");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            MessagingGroup mg = chat(chats, call.require("id"));
            List<String> affected = destinations.groupsPointingAt("channel", mg.id());
            int[] n = db.inTransaction(c -> {
                int d = Db.exec(c, "DELETE FROM agent_destinations WHERE target_type = 'channel' AND target_id = ?",
                        mg.id());
                int w = Db.exec(c, "DELETE FROM messaging_group_agents WHERE messaging_group_id = ?", mg.id());
                Db.exec(c, "DELETE FROM messaging_groups WHERE id = ?", mg.id());
                return new int[] {w, d};
            });
            affected.forEach(projection::reproject);
            return JsonNodeFactory.instance.objectNode().put("deleted", mg.id()).put("wirings", n[0])
                    .put("destinations", n[1]);
        }
    }
}
