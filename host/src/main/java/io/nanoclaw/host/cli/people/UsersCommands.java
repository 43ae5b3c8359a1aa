package io.nanoclaw.host.cli.people;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCommand;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclList;
import io.nanoclaw.host.cli.NclRows;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.Users;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code ncl users ...}: people by their platform identity ({@code <channel>:<handle>}). */
public final class UsersCommands {
    private UsersCommands() {}

    static final String COLS = "id, kind, display_name, created_at";

    /** A user id must be {@code <channel>:<handle>}. */
    static String userId(String id, String flag) throws NclException {
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1 || id.length() > 256) {
            throw new NclException(NclException.INVALID_ARGS, flag + " must be <channel>:<handle>, like "
                    + "telegram:12345, not '" + id + "'");
        }
        return id;
    }

    static void requireUser(Db db, String id) throws NclException {
        if (db.one("SELECT 1 FROM users WHERE id = ?", rs -> 1, id).isEmpty()) {
            throw new NclException(NclException.NOT_FOUND, "no user '" + id + "' (create it with `ncl users create "
                    + "--id " + id + "`)");
        }
    }

    static void requireGroup(Db db, String id) throws NclException {
        if (db.one("SELECT 1 FROM agent_groups WHERE id = ?", rs -> 1, id).isEmpty()) {
            throw new NclException(NclException.NOT_FOUND, "no agent group '" + id + "' (see `ncl groups list`)");
        }
    }

    @Singleton
    public static class ListAll extends NclList {
        public ListAll() {
            super("users-list", "known users", "SELECT " + COLS + " FROM users",
                    List.of("id", "kind", "display_name", "created_at"), Map.of(), "created_at, id");
        }
    }

    @Singleton
    public static class Get extends NclCommand {
        @Inject
        Db db;

        public Get() {
            super("users-get", NclAccess.OPEN, "--id <channel:handle>", "one user with roles and memberships");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String id = call.require("id");
            ObjectNode n = NclRows.one(db, "SELECT " + COLS + " FROM users WHERE id = ?", id)
                    .orElseThrow(() -> new NclException(NclException.NOT_FOUND, "no user '" + id + "'"));
            n.set("roles", NclRows.array(db.query("SELECT role, NULLIF(agent_group_id, '') AS agent_group_id, "
                    + "granted_by, granted_at FROM user_roles WHERE user_id = ? ORDER BY granted_at", NclRows::row,
                    id)));
            n.set("memberships", NclRows.array(db.query("SELECT agent_group_id, added_by, added_at FROM "
                    + "agent_group_members WHERE user_id = ? ORDER BY added_at", NclRows::row, id)));
            return n;
        }
    }

    @Singleton
    public static class Create extends NclCommand {
        @Inject
        Db db;
        @Inject
        Users users;

        public Create() {
            super("users-create", NclAccess.APPROVAL, "--id <channel:handle> [--kind k] [--display-name n]",
                    "add a user (kind defaults to the channel)");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            userId(call.require("id"), "--id");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String id = userId(call.require("id"), "--id");
            if (db.one("SELECT 1 FROM users WHERE id = ?", rs -> 1, id).isPresent()) {
                throw new NclException(NclException.INVALID_ARGS, "user '" + id + "' already exists (change it "
                        + "with `ncl users update`)");
            }
            String kind = call.optional("kind") != null ? call.optional("kind") : id.substring(0, id.indexOf(':'));
            users.upsert(id, kind, call.optional("display_name"));
            return NclRows.one(db, "SELECT " + COLS + " FROM users WHERE id = ?", id).orElseThrow();
        }
    }

    @Singleton
    public static class Update extends NclCommand {
        @Inject
        Db db;

        public Update() {
            super("users-update", NclAccess.APPROVAL, "--id <channel:handle> [--kind k] [--display-name n]",
                    "change a user's kind or display name");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("id");
            if (call.optional("kind") == null && call.optional("display_name") == null) {
                throw new NclException(NclException.INVALID_ARGS, "nothing to change: give --kind or "
                        + "--display-name");
            }
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String id = call.require("id");
            requireUser(db, id);
            StringBuilder sql = new StringBuilder("UPDATE users SET id = id");
            List<Object> p = new ArrayList<>();
            if (call.optional("kind") != null) {
                sql.append(", kind = ?");
                p.add(call.optional("kind"));
            }
            if (call.optional("display_name") != null) {
                sql.append(", display_name = ?");
                p.add(call.optional("display_name"));
            }
            p.add(id);
            db.update(sql.append(" WHERE id = ?").toString(), p.toArray());
            return NclRows.one(db, "SELECT " + COLS + " FROM users WHERE id = ?", id).orElseThrow();
        }
    }

    @Singleton
    public static class UserDmsList extends NclList {
        public UserDmsList() {
            super("user-dms-list", "users' direct-message chats (where approval cards go)",
                    "SELECT user_id, channel_type, messaging_group_id, resolved_at FROM user_dms",
                    List.of("user_id", "channel_type", "messaging_group_id", "resolved_at"),
                    Map.of("user", "user_id"), "resolved_at, user_id");
        }
    }
}
