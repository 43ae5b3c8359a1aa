package io.nanoclaw.host.cli.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.agents.AgentCreator;
import io.nanoclaw.host.agents.AgentGroupDeleter;
import io.nanoclaw.host.agents.AgentNames;
import io.nanoclaw.host.agents.CreateAgentRefused;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclArgs;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCommand;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclList;
import io.nanoclaw.host.cli.NclRows;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.GroupRestarts;
import io.nanoclaw.host.containers.images.AgentGroupImages;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Now;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.DestinationProjection;
import io.nanoclaw.host.sessions.Sessions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/** {@code ncl groups ...}: agent groups, with the side effects of every other way of making or removing one. */
public final class GroupsCommands {
    private GroupsCommands() {}

    /** The group named by --id, or not-found. */
    static AgentGroup group(AgentGroups groups, NclCall call) throws NclException {
        String id = call.require("id");
        return groups.byId(id).orElseThrow(() -> new NclException(NclException.NOT_FOUND, "no agent group '" + id
                + "' (see `ncl groups list`)"));
    }

    static final String LIST_SQL = "SELECT g.id, g.name, g.folder, c.cli_scope, c.provider, c.model, g.created_at "
            + "FROM agent_groups g LEFT JOIN container_configs c ON c.agent_group_id = g.id";

    @Singleton
    public static class ListAll extends NclList {
        public ListAll() {
            super("groups-list", "agent groups", LIST_SQL,
                    List.of("id", "name", "folder", "cli_scope", "provider", "model", "created_at"), Map.of(),
                    "created_at, id");
        }
    }

    @Singleton
    public static class Get extends NclCommand {
        @Inject
        Db db;
        @Inject
        AgentGroups groups;

        public Get() {
            super("groups-get", NclAccess.OPEN, "--id <group>", "one agent group with its wirings and sessions");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            AgentGroup g = group(groups, call);
            ObjectNode n = NclRows.one(db, LIST_SQL + " WHERE g.id = ?", g.id()).orElseThrow();
            n.put("wirings", db.one("SELECT count(*) FROM messaging_group_agents WHERE agent_group_id = ?",
                    rs -> rs.getLong(1), g.id()).orElse(0L));
            n.put("destinations", db.one("SELECT count(*) FROM agent_destinations WHERE agent_group_id = ?",
                    rs -> rs.getLong(1), g.id()).orElse(0L));
            n.put("active_sessions", db.one("SELECT count(*) FROM sessions WHERE agent_group_id = ? "
                    + "AND status = 'active'", rs -> rs.getLong(1), g.id()).orElse(0L));
            return n;
        }
    }

    @Singleton
    public static class Create extends NclCommand {
        @Inject
        AgentCreator creator;
        @Inject
        Db db;

        public Create() {
            super("groups-create", NclAccess.APPROVAL, "--name <name> [--folder <folder>] [--instructions <text>]",
                    "create an agent group: its folder, memory file and container config");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            String problem = AgentNames.problem(call.require("name"));
            if (problem != null) {
                throw new NclException(NclException.INVALID_ARGS, "--name: " + problem);
            }
            String folder = call.optional("folder");
            if (folder != null) {
                try {
                    AgentGroups.validateFolder(folder);
                } catch (IllegalArgumentException e) {
                    throw new NclException(NclException.INVALID_ARGS, "--folder: " + e.getMessage());
                }
            }
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            try {
                AgentGroup g = creator.createTopLevel(call.require("name"), call.optional("folder"),
                        call.optional("instructions"));
                return NclRows.one(db, LIST_SQL + " WHERE g.id = ?", g.id()).orElseThrow();
            } catch (CreateAgentRefused e) {
                throw new NclException(NclException.INVALID_ARGS, e.getMessage());
            }
        }
    }

    @Singleton
    public static class Update extends NclCommand {
        @Inject
        AgentGroups groups;
        @Inject
        Db db;
        @Inject
        DestinationProjection projection;

        public Update() {
            super("groups-update", NclAccess.APPROVAL, "--id <group> --name <name>",
                    "rename an agent group (its folder stays)");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("id");
            String problem = AgentNames.problem(call.require("name"));
            if (problem != null) {
                throw new NclException(NclException.INVALID_ARGS, "--name: " + problem);
            }
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            AgentGroup g = group(groups, call);
            db.update("UPDATE agent_groups SET name = ? WHERE id = ?", call.require("name").strip(), g.id());
            // other groups show this name for their destinations to it
            for (String other : db.query("SELECT DISTINCT agent_group_id FROM agent_destinations "
                    + "WHERE target_type = 'agent' AND target_id = ?", rs -> rs.getString(1), g.id())) {
                projection.reproject(other);
            }
            return NclRows.one(db, LIST_SQL + " WHERE g.id = ?", g.id()).orElseThrow();
        }
    }

    @Singleton
    public static class Delete extends NclCommand {
        @Inject
        AgentGroups groups;
        @Inject
        AgentGroupDeleter deleter;

        public Delete() {
            super("groups-delete", NclAccess.APPROVAL, "--id <group>",
                    "delete an agent group: containers, wirings, sessions, destinations; its folder is archived");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            AgentGroup g = group(groups, call);
            AgentGroupDeleter.Deleted d = deleter.delete(g.id());
            ObjectNode n = JsonNodeFactory.instance.objectNode().put("deleted", g.id()).put("name", g.name())
                    .put("sessions", d.sessions()).put("containers_stopped", d.containersStopped());
            n.put("folder_archived_to", d.archivedFolder());
            return n;
        }
    }

    @Singleton
    public static class Restart extends NclCommand {
        @Inject
        AgentGroups groups;
        @Inject
        Sessions sessions;
        @Inject
        GroupRestarts restarts;
        @Inject
        AgentGroupImages images;
        @Inject
        HostConfig config;

        public Restart() {
            super("groups-restart", NclAccess.APPROVAL, "--id <group> [--rebuild] [--message <text>] "
                    + "[--session <session>]", "restart the group's containers (an agent: only its own session); "
                    + "--rebuild rebuilds its image first; --message is told to the agent on wake");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("id");
            NclArgs.bool(call, "rebuild");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            AgentGroup g = group(groups, call);
            String sessionId = call.optional("session");
            Session only = null;
            if (sessionId != null) {
                only = sessions.byId(sessionId).filter(s -> s.agentGroupId().equals(g.id()))
                        .orElseThrow(() -> new NclException(NclException.NOT_FOUND, "session not found: "
                                + sessionId));
            }
            ObjectNode n = JsonNodeFactory.instance.objectNode().put("group", g.id());
            if (Boolean.TRUE.equals(NclArgs.bool(call, "rebuild"))) {
                if (!config.containersEnabled()) {
                    throw new NclException(NclException.HANDLER_ERROR, "can't rebuild: agent containers are turned "
                            + "off on this host (NANOCLAW_CONTAINERS=false)");
                }
                n.put("image", images.rebuild(g.id()));
            }
            String message = call.optional("message");
            String note = message == null ? null : "Your container was restarted by the operator: " + message;
            if (only != null) {
                n.put("restarted", restarts.restartSession(only, "ncl groups restart", note) ? 1 : 0);
            } else {
                n.put("restarted", restarts.restart(g.id(), "ncl groups restart", note));
            }
            n.put("note", message == null ? "stopped containers start again with the next message"
                    : "restarted containers read the message on wake");
            return n;
        }
    }

    /** The configured value of a group's config row, or not-found. */
    static ObjectNode configOf(Db db, AgentGroup g) throws NclException {
        ObjectNode row = NclRows.one(db, "SELECT * FROM container_configs WHERE agent_group_id = ?", g.id())
                .orElseThrow(() -> new NclException(NclException.NOT_FOUND, "agent group " + g.id()
                        + " has no container config"));
        for (String json : List.of("skills", "mcp_servers", "packages_apt", "packages_npm", "additional_mounts")) {
            if (row.hasNonNull(json)) {
                row.set(json, NclRows.json(row.get(json).asText()));
            }
        }
        redactEnv(row.get("mcp_servers"));
        return row;
    }

    /** MCP servers' env values may be secrets: shown as "***". */
    static void redactEnv(JsonNode servers) {
        if (servers == null || !servers.isObject()) {
            return;
        }
        for (JsonNode s : servers) {
            JsonNode env = s.get("env");
            if (env instanceof ObjectNode o) {
                o.fieldNames().forEachRemaining(k -> o.put(k, "***"));
            }
        }
    }

    static void touch(Db db, String agId) {
        db.update("UPDATE container_configs SET updated_at = ? WHERE agent_group_id = ?", Now.iso(), agId);
    }
}
