package io.nanoclaw.host.cli.chats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclArgs;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCommand;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclList;
import io.nanoclaw.host.cli.NclRows;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Wiring;
import io.nanoclaw.host.entities.Wirings;
import io.nanoclaw.host.sessions.DestinationProjection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code ncl wirings ...}: which chat reaches which agent. Creating one adds the group's channel destination for the
 * chat and re-projects it into the group's sessions, as every other way of wiring does; deleting removes both.
 */
public final class WiringsCommands {
    private WiringsCommands() {}

    static final String COLS = "id, messaging_group_id, agent_group_id, engage_mode, engage_pattern, sender_scope, "
            + "ignored_message_policy, session_mode, priority, created_at";
    static final String SETTINGS = "[--engage-mode pattern|mention|mention-sticky] [--engage-pattern re] "
            + "[--sender-scope all|known] [--ignored-message-policy drop|accumulate] "
            + "[--session-mode shared|per-thread|agent-shared] [--priority n]";

    static Wiring wiring(Wirings wirings, String id) throws NclException {
        return wirings.byId(id).orElseThrow(() -> new NclException(NclException.NOT_FOUND, "no wiring '" + id
                + "' (see `ncl wirings list`)"));
    }

    /** The settings given, validated; a map of column to value. */
    static Map<String, Object> settings(NclCall call) throws NclException {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        put(v, "engage_mode", NclArgs.oneOf(call, "engage_mode", "pattern", "mention", "mention-sticky"));
        String pattern = call.optional("engage_pattern");
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new NclException(NclException.INVALID_ARGS, "--engage-pattern is not a valid regular "
                        + "expression: " + e.getDescription());
            }
            v.put("engage_pattern", pattern);
        }
        put(v, "sender_scope", NclArgs.oneOf(call, "sender_scope", "all", "known"));
        put(v, "ignored_message_policy", NclArgs.oneOf(call, "ignored_message_policy", "drop", "accumulate"));
        put(v, "session_mode", NclArgs.oneOf(call, "session_mode", "shared", "per-thread", "agent-shared"));
        put(v, "priority", NclArgs.integer(call, "priority", -1000, 1000));
        return v;
    }

    private static void put(Map<String, Object> v, String k, Object value) {
        if (value != null) {
            v.put(k, value);
        }
    }

    @Singleton
    public static class ListAll extends NclList {
        public ListAll() {
            super("wirings-list", "which chats reach which agent groups",
                    "SELECT " + COLS + " FROM messaging_group_agents",
                    List.of("id", "messaging_group_id", "agent_group_id", "engage_mode", "engage_pattern",
                            "sender_scope", "ignored_message_policy", "session_mode", "priority", "created_at"),
                    Map.of("group", "agent_group_id", "messaging_group", "messaging_group_id"), "created_at, id");
        }
    }

    @Singleton
    public static class Get extends NclCommand {
        @Inject
        Db db;
        @Inject
        Wirings wirings;

        public Get() {
            super("wirings-get", NclAccess.OPEN, "--id <wiring>", "one wiring");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            Wiring w = wiring(wirings, call.require("id"));
            return NclRows.one(db, "SELECT " + COLS + " FROM messaging_group_agents WHERE id = ?", w.id())
                    .orElseThrow();
        }
    }

    @Singleton
    public static class Create extends NclCommand {
        @Inject
        Db db;
        @Inject
        Wirings wirings;
        @Inject
        MessagingGroups chats;
        @Inject
        AgentGroups groups;
        @Inject
        DestinationProjection projection;

        public Create() {
            super("wirings-create", NclAccess.APPROVAL, "--messaging-group <mg> --group <agent group> " + SETTINGS,
                    "wire a chat to an agent group (adds the group's destination for the chat)");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("messaging_group");
            call.require("group");
            settings(call);
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            MessagingGroup mg = MessagingGroupsCommands.chat(chats, call.require("messaging_group"));
            String agId = call.require("group");
            if (groups.byId(agId).isEmpty()) {
                throw new NclException(NclException.NOT_FOUND, "no agent group '" + agId + "' (see `ncl groups "
                        + "list`)");
            }
            var existing = db.one("SELECT id FROM messaging_group_agents WHERE messaging_group_id = ? "
                    + "AND agent_group_id = ?", rs -> rs.getString(1), mg.id(), agId);
            if (existing.isPresent()) {
                throw new NclException(NclException.INVALID_ARGS, "that chat is already wired to that group: "
                        + existing.get() + " (change it with `ncl wirings update`)");
            }
            Map<String, Object> s = settings(call);
            String mode = (String) s.getOrDefault("engage_mode", "mention");
            Wiring w = db.inTransaction(c -> wirings.create(c, mg, agId, mode,
                    (String) s.getOrDefault("engage_pattern", mode.equals("pattern") ? "." : null),
                    (String) s.getOrDefault("sender_scope", "all"),
                    (String) s.getOrDefault("ignored_message_policy", "drop"),
                    (String) s.getOrDefault("session_mode", "shared"), (Integer) s.getOrDefault("priority", 0)));
            projection.reproject(agId);
            return NclRows.one(db, "SELECT " + COLS + " FROM messaging_group_agents WHERE id = ?", w.id())
                    .orElseThrow();
        }
    }

    @Singleton
    public static class Update extends NclCommand {
        @Inject
        Db db;
        @Inject
        Wirings wirings;

        public Update() {
            super("wirings-update", NclAccess.APPROVAL, "--id <wiring> " + SETTINGS,
                    "change how a chat engages its agent group");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("id");
            if (settings(call).isEmpty()) {
                throw new NclException(NclException.INVALID_ARGS, "nothing to change: give at least one of "
                        + SETTINGS);
            }
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            Wiring w = wiring(wirings, call.require("id"));
            Map<String, Object> s = settings(call);
            StringBuilder sql = new StringBuilder("UPDATE messaging_group_agents SET id = id");
            List<Object> p = new ArrayList<>();
            for (var e : s.entrySet()) {
                sql.append(", ").append(e.getKey()).append(" = ?");
                p.add(e.getValue());
            }
            p.add(w.id());
            db.update(sql.append(" WHERE id = ?").toString(), p.toArray());
            return NclRows.one(db, "SELECT " + COLS + " FROM messaging_group_agents WHERE id = ?", w.id())
                    .orElseThrow();
        }
    }

    @Singleton
    public static class Delete extends NclCommand {
        @Inject
        Db db;
        @Inject
        Wirings wirings;
        @Inject
        DestinationProjection projection;

        public Delete() {
            super("wirings-delete", NclAccess.APPROVAL, "--id <wiring>",
                    "unwire a chat from an agent group (removes the group's destination for the chat)");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            Wiring w = wiring(wirings, call.require("id"));
            int d = db.inTransaction(c -> wirings.delete(c, w));
            projection.reproject(w.agentGroupId());
            return JsonNodeFactory.instance.objectNode().put("deleted", w.id()).put("destinations_removed", d);
        }
    }
}
