package io.nanoclaw.host.cli.people;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclArgs;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCommand;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclList;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.Users;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/** {@code ncl roles ...} (owner: global; admin: global or of one group) and {@code ncl members ...}. */
public final class RolesCommands {
    private RolesCommands() {}

    static final String ROLE_ARGS = "--user <channel:handle> --role owner|admin [--group <agent group>]";

    @Singleton
    public static class ListAll extends NclList {
        public ListAll() {
            super("roles-list", "owners and admins (agent_group_id empty: global)",
                    "SELECT user_id, role, NULLIF(agent_group_id, '') AS agent_group_id, granted_by, granted_at "
                            + "FROM user_roles",
                    List.of("user_id", "role", "agent_group_id", "granted_by", "granted_at"),
                    Map.of("user", "user_id", "group", "agent_group_id"), "granted_at, user_id");
        }
    }

    static void check(NclCall call) throws NclException {
        UsersCommands.userId(call.require("user"), "--user");
        String role = NclArgs.oneOf(call, "role", "owner", "admin");
        if (role == null) {
            call.require("role");
        }
        if ("owner".equals(role) && call.optional("group") != null) {
            throw new NclException(NclException.INVALID_ARGS, "owner is a global role: leave out --group");
        }
    }

    @Singleton
    public static class Grant extends NclCommand {
        @Inject
        Db db;
        @Inject
        Users users;

        public Grant() {
            super("roles-grant", NclAccess.APPROVAL, ROLE_ARGS, "make a user owner, or admin (of all or one group)");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            check(call);
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String user = call.require("user");
            String role = call.require("role");
            String group = call.optional("group");
            UsersCommands.requireUser(db, user);
            if (group != null) {
                UsersCommands.requireGroup(db, group);
            }
            db.inTransaction(c -> {
                users.grant(c, user, role, group, "ncl");
                return null;
            });
            return JsonNodeFactory.instance.objectNode().put("user_id", user).put("role", role)
                    .put("agent_group_id", group);
        }
    }

    @Singleton
    public static class Revoke extends NclCommand {
        @Inject
        Db db;

        public Revoke() {
            super("roles-revoke", NclAccess.APPROVAL, ROLE_ARGS, "take a role away");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            check(call);
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String user = call.require("user");
            String role = call.require("role");
            String group = call.optional("group");
            int n = db.update("DELETE FROM user_roles WHERE user_id = ? AND role = ? AND agent_group_id = ?", user,
                    role, group == null ? "" : group);
            if (n == 0) {
                throw new NclException(NclException.NOT_FOUND, user + " is not " + role
                        + (group == null ? " (globally)" : " of " + group) + " (see `ncl roles list`)");
            }
            return JsonNodeFactory.instance.objectNode().put("revoked", role).put("user_id", user)
                    .put("agent_group_id", group);
        }
    }

    @Singleton
    public static class Members extends NclList {
        public Members() {
            super("members-list", "members of agent groups (owners and admins are members without a row)",
                    "SELECT user_id, agent_group_id, added_by, added_at FROM agent_group_members",
                    List.of("user_id", "agent_group_id", "added_by", "added_at"),
                    Map.of("group", "agent_group_id", "user", "user_id"), "added_at, user_id");
        }
    }

    @Singleton
    public static class MemberAdd extends NclCommand {
        @Inject
        Db db;
        @Inject
        Users users;

        public MemberAdd() {
            super("members-add", NclAccess.APPROVAL, "--user <channel:handle> --group <agent group>",
                    "let a user reach an agent group (the user is created when new)");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            UsersCommands.userId(call.require("user"), "--user");
            call.require("group");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String user = UsersCommands.userId(call.require("user"), "--user");
            String group = call.require("group");
            UsersCommands.requireGroup(db, group);
            boolean created = db.one("SELECT 1 FROM users WHERE id = ?", rs -> 1, user).isEmpty();
            int n = db.inTransaction(c -> {
                users.upsert(c, user, user.substring(0, user.indexOf(':')), null);
                return Db.exec(c, "INSERT INTO agent_group_members(user_id, agent_group_id, added_by, added_at) "
                        + "VALUES (?, ?, 'ncl', ?) ON CONFLICT DO NOTHING", user, group,
                        io.nanoclaw.host.entities.Now.iso());
            });
            if (n == 0) {
                throw new NclException(NclException.INVALID_ARGS, user + " is already a member of " + group);
            }
            return JsonNodeFactory.instance.objectNode().put("user_id", user).put("agent_group_id", group)
                    .put("user_created", created);
        }
    }

    @Singleton
    public static class MemberRemove extends NclCommand {
        @Inject
        Db db;

        public MemberRemove() {
            super("members-remove", NclAccess.APPROVAL, "--user <channel:handle> --group <agent group>",
                    "remove a user from an agent group");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String user = call.require("user");
            String group = call.require("group");
            if (db.update("DELETE FROM agent_group_members WHERE user_id = ? AND agent_group_id = ?", user,
                    group) == 0) {
                throw new NclException(NclException.NOT_FOUND, user + " is not a member of " + group
                        + " (see `ncl members list --group " + group + "`)");
            }
            return JsonNodeFactory.instance.objectNode().put("removed", user).put("agent_group_id", group);
        }
    }
}
