package io.nanoclaw.host.cli.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclArgs;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCommand;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.GroupRestarts;
import io.nanoclaw.host.containers.images.AgentGroupImages;
import io.nanoclaw.host.containers.images.ImageBuildException;
import io.nanoclaw.host.containers.images.PackageNames;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Now;
import io.nanoclaw.host.selfmod.AddMcpServer;
import io.nanoclaw.host.selfmod.AddMcpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ncl groups config ...}: a group's container config. MCP servers and packages go through the same code as an
 * agent's approved request (selfmod/, containers/images/): the config, the image, and a restart of the running
 * containers. Plain settings apply to the next container; {@code ncl groups restart} applies them at once.
 */
public final class ConfigCommands {
    private ConfigCommands() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Singleton
    public static class Get extends NclCommand {
        @Inject
        AgentGroups groups;
        @Inject
        Db db;

        public Get() {
            super("groups-config-get", NclAccess.OPEN, "--id <group>", "a group's container config");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            return GroupsCommands.configOf(db, GroupsCommands.group(groups, call));
        }
    }

    @Singleton
    public static class Update extends NclCommand {
        /** Settings by argument: column and how it is read. */
        static final Map<String, String> COLUMNS = new LinkedHashMap<>();

        static {
            COLUMNS.put("provider", "provider");
            COLUMNS.put("model", "model");
            COLUMNS.put("effort", "effort");
            COLUMNS.put("assistant_name", "assistant_name");
            COLUMNS.put("max_messages_per_prompt", "max_messages_per_prompt");
            COLUMNS.put("memory_mb", "memory_mb");
            COLUMNS.put("cpus", "cpus");
            COLUMNS.put("pids_limit", "pids_limit");
            COLUMNS.put("cli_scope", "cli_scope");
        }

        /** What --unset may clear (cli_scope has a default instead: set it). */
        static final List<String> NULLABLE = List.of("provider", "model", "effort", "assistant_name",
                "max_messages_per_prompt", "memory_mb", "cpus", "pids_limit");

        @Inject
        AgentGroups groups;
        @Inject
        Db db;

        public Update() {
            super("groups-config-update", NclAccess.APPROVAL, "--id <group> [--provider anthropic|openai] "
                    + "[--model m] [--effort low|medium|high|xhigh|max] [--assistant-name n] "
                    + "[--max-messages-per-prompt n] [--memory-mb n] [--cpus n] [--pids-limit n] "
                    + "[--cli-scope disabled|group|global] [--unset a,b]",
                    "change container settings (they apply to the next container; restart to apply now)");
        }

        private Map<String, Object> values(NclCall call) throws NclException {
            Map<String, Object> v = new LinkedHashMap<>();
            put(v, "provider", NclArgs.oneOf(call, "provider", "anthropic", "claude", "openai"));
            put(v, "model", call.optional("model"));
            put(v, "effort", NclArgs.oneOf(call, "effort", "low", "medium", "high", "xhigh", "max"));
            put(v, "assistant_name", call.optional("assistant_name"));
            put(v, "max_messages_per_prompt", NclArgs.integer(call, "max_messages_per_prompt", 1, 1000));
            put(v, "memory_mb", NclArgs.integer(call, "memory_mb", 64, 1_048_576));
            put(v, "cpus", NclArgs.decimal(call, "cpus", 0.1, 256));
            put(v, "pids_limit", NclArgs.integer(call, "pids_limit", 16, 1_000_000));
            put(v, "cli_scope", NclArgs.oneOf(call, "cli_scope", "disabled", "group", "global"));
            for (String u : NclArgs.list(call, "unset")) {
                String key = u.replace('-', '_');
                if (!NULLABLE.contains(key)) {
                    throw new NclException(NclException.INVALID_ARGS, "--unset: '" + u + "' can't be unset (it takes: "
                            + String.join(", ", NULLABLE.stream().map(k -> k.replace('_', '-')).toList()) + ")");
                }
                if (v.containsKey(key)) {
                    throw new NclException(NclException.INVALID_ARGS, "--" + u + " is both set and unset");
                }
                v.put(key, null);
            }
            if (v.isEmpty()) {
                throw new NclException(NclException.INVALID_ARGS, "nothing to change: give at least one setting, "
                        + "e.g. --model or --cli-scope");
            }
            return v;
        }

        private static void put(Map<String, Object> v, String k, Object value) {
            if (value != null) {
                v.put(k, value);
            }
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("id");
            values(call);
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            AgentGroup g = GroupsCommands.group(groups, call);
            Map<String, Object> v = values(call);
            StringBuilder sql = new StringBuilder("UPDATE container_configs SET updated_at = ?");
            List<Object> params = new ArrayList<>();
            params.add(Now.iso());
            for (Map.Entry<String, Object> e : v.entrySet()) {
                sql.append(", ").append(COLUMNS.get(e.getKey())).append(" = ?");
                params.add(e.getValue());
            }
            sql.append(" WHERE agent_group_id = ?");
            params.add(g.id());
            if (db.update(sql.toString(), params.toArray()) == 0) {
                throw new NclException(NclException.NOT_FOUND, "agent group " + g.id() + " has no container config");
            }
            return GroupsCommands.configOf(db, g);
        }
    }

    @Singleton
    public static class AddMcp extends NclCommand {
        @Inject
        AgentGroups groups;
        @Inject
        AddMcpServer adder;

        public AddMcp() {
            super("groups-config-add-mcp-server", NclAccess.APPROVAL, "--id <group> --name <name> --command <cmd> "
                    + "[--args '[\"a\",\"b\"]' or 'a b'] [--env '{\"K\":\"v\"}' or K=v,K2=v2]",
                    "add (or replace) an MCP server; the group's containers restart to load it");
        }

        static ObjectNode server(NclCall call) throws NclException {
            ObjectNode s = JsonNodeFactory.instance.objectNode().put("name", call.require("name"))
                    .put("command", call.require("command"));
            ArrayNode args = s.putArray("args");
            String a = call.optional("args");
            if (a != null) {
                if (a.strip().startsWith("[")) {
                    JsonNode n = parse(a, "--args");
                    if (!n.isArray()) {
                        throw new NclException(NclException.INVALID_ARGS, "--args must be a JSON array of strings");
                    }
                    args.addAll((ArrayNode) n);
                } else {
                    for (String w : a.strip().split("\\s+")) {
                        args.add(w);
                    }
                }
            }
            String e = call.optional("env");
            if (e != null) {
                if (e.strip().startsWith("{")) {
                    s.set("env", parse(e, "--env"));
                } else {
                    ObjectNode env = s.putObject("env");
                    for (String pair : e.split(",")) {
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            throw new NclException(NclException.INVALID_ARGS, "--env must be K=v pairs separated "
                                    + "by commas, or a JSON object");
                        }
                        env.put(pair.substring(0, eq).strip(), pair.substring(eq + 1));
                    }
                }
            }
            try {
                return AddMcpServerRequest.validate(s);
            } catch (IllegalArgumentException ex) {
                throw new NclException(NclException.INVALID_ARGS, ex.getMessage());
            }
        }

        private static JsonNode parse(String v, String flag) throws NclException {
            try {
                return MAPPER.readTree(v);
            } catch (IOException ex) {
                throw new NclException(NclException.INVALID_ARGS, flag + " is not valid JSON");
            }
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("id");
            server(call);
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            AgentGroup g = GroupsCommands.group(groups, call);
            String result = adder.add(g.id(), server(call));
            return JsonNodeFactory.instance.objectNode().put("group", g.id()).put("result", result);
        }
    }

    @Singleton
    public static class RemoveMcp extends NclCommand {
        @Inject
        AgentGroups groups;
        @Inject
        Db db;
        @Inject
        GroupRestarts restarts;

        public RemoveMcp() {
            super("groups-config-remove-mcp-server", NclAccess.APPROVAL, "--id <group> --name <name>",
                    "remove an MCP server; the group's containers restart without it");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            AgentGroup g = GroupsCommands.group(groups, call);
            String name = call.require("name");
            boolean removed = db.inTransaction(c -> {
                String stored;
                try (var ps = Db.prepare(c, "SELECT mcp_servers FROM container_configs WHERE agent_group_id = ?",
                        g.id()); var rs = ps.executeQuery()) {
                    stored = rs.next() ? rs.getString(1) : null;
                }
                JsonNode n;
                try {
                    n = stored == null ? null : MAPPER.readTree(stored);
                } catch (IOException e) {
                    n = null;
                }
                if (!(n instanceof ObjectNode servers) || !servers.has(name)) {
                    return false;
                }
                servers.remove(name);
                Db.exec(c, "UPDATE container_configs SET mcp_servers = ?, updated_at = ? WHERE agent_group_id = ?",
                        servers.toString(), Now.iso(), g.id());
                return true;
            });
            if (!removed) {
                throw new NclException(NclException.NOT_FOUND, "agent group " + g.id() + " has no MCP server '"
                        + name + "'");
            }
            int n = restarts.restart(g.id(), "MCP server removed", "Your container restarted without the MCP "
                    + "server '" + name + "' (removed by the operator).");
            return JsonNodeFactory.instance.objectNode().put("group", g.id()).put("removed", name)
                    .put("restarted", n);
        }
    }

    /** The apt and npm names of --apt and --npm (comma or space separated), validated as an agent's request is. */
    static List<List<String>> packages(NclCall call) throws NclException {
        List<String> apt = NclArgs.list(call, "apt");
        List<String> npm = NclArgs.list(call, "npm");
        try {
            PackageNames.validateRequest(apt, npm);
        } catch (IllegalArgumentException e) {
            throw new NclException(NclException.INVALID_ARGS, e.getMessage() + " (give --apt and/or --npm)");
        }
        return List.of(apt, npm);
    }

    static void requireContainers(HostConfig config) throws NclException {
        if (!config.containersEnabled()) {
            throw new NclException(NclException.HANDLER_ERROR, "packages need an image build, and agent containers "
                    + "are turned off on this host (NANOCLAW_CONTAINERS=false)");
        }
    }

    @Singleton
    public static class AddPackage extends NclCommand {
        @Inject
        AgentGroups groups;
        @Inject
        AgentGroupImages images;
        @Inject
        GroupRestarts restarts;
        @Inject
        HostConfig config;

        public AddPackage() {
            super("groups-config-add-package", NclAccess.APPROVAL, "--id <group> [--apt a,b] [--npm c,d]",
                    "install packages: rebuild the group's image, then restart its containers onto it");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("id");
            packages(call);
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            AgentGroup g = GroupsCommands.group(groups, call);
            List<List<String>> p = packages(call);
            requireContainers(config);
            String tag = build(() -> images.build(g.id(), p.get(0), p.get(1)));
            List<String> all = new ArrayList<>(p.get(0));
            all.addAll(p.get(1));
            int n = restarts.restart(g.id(), "packages installed", "Your container restarted with new packages: "
                    + String.join(", ", all) + ".");
            return JsonNodeFactory.instance.objectNode().put("group", g.id()).put("image", tag).put("restarted", n);
        }
    }

    @Singleton
    public static class RemovePackage extends NclCommand {
        @Inject
        AgentGroups groups;
        @Inject
        AgentGroupImages images;
        @Inject
        GroupRestarts restarts;
        @Inject
        HostConfig config;
        @Inject
        Db db;

        public RemovePackage() {
            super("groups-config-remove-package", NclAccess.APPROVAL, "--id <group> [--apt a,b] [--npm c,d]",
                    "remove packages: rebuild the group's image without them, then restart its containers");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("id");
            packages(call);
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            AgentGroup g = GroupsCommands.group(groups, call);
            List<List<String>> p = packages(call);
            requireContainers(config);
            ObjectNode cfg = GroupsCommands.configOf(db, g);
            List<String> apt = names(cfg.get("packages_apt"));
            List<String> npm = names(cfg.get("packages_npm"));
            List<String> missing = new ArrayList<>();
            for (String a : p.get(0)) {
                if (!apt.remove(a)) {
                    missing.add("apt " + a);
                }
            }
            for (String a : p.get(1)) {
                if (!npm.remove(a)) {
                    missing.add("npm " + a);
                }
            }
            if (!missing.isEmpty()) {
                throw new NclException(NclException.NOT_FOUND, "not installed in agent group " + g.id() + ": "
                        + String.join(", ", missing));
            }
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            apt.forEach(a::add);
            ArrayNode n = JsonNodeFactory.instance.arrayNode();
            npm.forEach(n::add);
            String update = "UPDATE container_configs SET packages_apt = ?, packages_npm = ?, updated_at = ? "
                    + "WHERE agent_group_id = ?";
            String[] before = db.one("SELECT packages_apt, packages_npm FROM container_configs WHERE agent_group_id = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, g.id()).orElseThrow();
            db.update(update, a.toString(), n.toString(), Now.iso(), g.id());
            String tag;
            try {
                tag = build(() -> images.rebuild(g.id()));
            } catch (NclException e) {
                // the image still has them: so must the stored list, or the next build would drop them unasked
                db.update(update, before[0], before[1], Now.iso(), g.id());
                throw e;
            }
            int restarted = restarts.restart(g.id(), "packages removed", "Your container restarted: the operator "
                    + "removed packages from your image.");
            return JsonNodeFactory.instance.objectNode().put("group", g.id()).put("image", tag)
                    .put("restarted", restarted);
        }

        private static List<String> names(JsonNode arr) {
            List<String> out = new ArrayList<>();
            if (arr != null && arr.isArray()) {
                arr.forEach(e -> out.add(e.asText()));
            }
            return out;
        }
    }

    private static String build(java.util.function.Supplier<String> b) throws NclException {
        try {
            return b.get();
        } catch (ImageBuildException e) {
            // its message already ends with the build output's last lines
            throw new NclException(NclException.HANDLER_ERROR, "the image build failed: " + e.getMessage());
        }
    }
}
