package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.approvals.ApprovalRequests;
import io.nanoclaw.host.db.DbException;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.Sessions;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Runs one {@code ncl} command (host.md 9) for the operator (the socket) or an agent ({@code cli_request}): resolves
 * the command name, applies the agent's cli_scope, checks the arguments, raises an approval for an agent's gated
 * command, and turns the outcome into a reply frame {@code {id, ok, data|error{code, message}}}.
 */
@Singleton
public class NclDispatcher {
    private static final Logger LOG = Logger.getLogger(NclDispatcher.class);
    public static final String APPROVAL_ACTION = "cli_command";
    static final Pattern COMMAND = Pattern.compile("[a-z0-9][a-z0-9_-]{0,199}");
    /** What a group-scoped agent may use (host.md 9, "Agent callers"). */
    static final Set<String> GROUP_SCOPE_RESOURCES = Set.of("groups", "sessions", "destinations", "members", "help");
    /** Commands a group-scoped agent can't use even within its resources: they reach beyond its group. */
    static final Set<String> GROUP_SCOPE_REFUSED = Set.of("groups-create");

    @Inject
    @Any
    Instance<NclHandler> beans;
    @Inject
    ApprovalRequests approvals;
    @Inject
    Sessions sessions;
    @Inject
    AgentGroups agentGroups;

    private volatile Map<String, NclHandler> handlers;

    private static final List<String> RESOURCE_ORDER = List.of("groups", "messaging-groups", "wirings", "users",
            "roles", "members", "destinations", "sessions", "approvals", "user-dms", "dropped-messages", "help");
    private static final List<String> VERB_ORDER = List.of("list", "get", "create", "update", "delete", "restart",
            "grant", "revoke", "add", "remove", "close");

    /** Help's order: the resources as host.md 9 lists them, then verbs from reading to changing, config last. */
    static final java.util.Comparator<String> ORDER = java.util.Comparator
            .comparingInt((String c) -> rank(RESOURCE_ORDER, resource(c)))
            .thenComparing(NclDispatcher::resource)
            .thenComparingInt(NclDispatcher::verbRank)
            .thenComparing(c -> c);

    private static int verbRank(String command) {
        String w = words(command);
        String verb = w.length() > resource(command).length() ? w.substring(resource(command).length() + 1) : "";
        return verb.startsWith("config ") ? 100 + rank(VERB_ORDER, verb.substring(7)) : rank(VERB_ORDER, verb);
    }

    private static int rank(List<String> order, String v) {
        int i = order.indexOf(v);
        return i < 0 ? order.size() : i;
    }

    /** All commands by name, collected once. */
    public Map<String, NclHandler> handlers() {
        Map<String, NclHandler> h = handlers;
        if (h == null) {
            synchronized (this) {
                if (handlers == null) {
                    Map<String, NclHandler> m = new TreeMap<>();
                    for (NclHandler b : beans) {
                        NclHandler before = m.put(b.command(), b);
                        if (before != null) {
                            throw new IllegalStateException("two ncl handlers for '" + b.command() + "': "
                                    + before.getClass().getName() + " and " + b.getClass().getName());
                        }
                    }
                    java.util.LinkedHashMap<String, NclHandler> ordered = new java.util.LinkedHashMap<>();
                    m.keySet().stream().sorted(ORDER).forEach(k -> ordered.put(k, m.get(k)));
                    handlers = java.util.Collections.unmodifiableMap(ordered);
                }
                h = handlers;
            }
        }
        return h;
    }

    /** The resource of a command: its first word ("groups-config-get" → "groups"; two-word resources kept). */
    public static String resource(String command) {
        for (String r : List.of("messaging-groups", "user-dms", "dropped-messages")) {
            if (command.equals(r) || command.startsWith(r + "-")) {
                return r;
            }
        }
        int dash = command.indexOf('-');
        return dash < 0 ? command : command.substring(0, dash);
    }

    /** A command as typed: "groups-config-add-mcp-server" → "groups config add-mcp-server". */
    public static String words(String command) {
        String res = resource(command);
        if (command.length() <= res.length()) {
            return command;
        }
        String rest = command.substring(res.length() + 1);
        if (rest.startsWith("config-")) {
            rest = "config " + rest.substring(7);
        }
        return res + " " + rest;
    }

    /** Whether this caller may see a command at all (for help). */
    public boolean visibleTo(NclHandler h, NclCaller caller) {
        if (caller.operator() || "global".equals(caller.scope())) {
            return caller.operator() || h.access() != NclAccess.OPERATOR;
        }
        if (!"group".equals(caller.scope()) || h.access() == NclAccess.OPERATOR) {
            return false;
        }
        return GROUP_SCOPE_RESOURCES.contains(resource(h.command())) && !GROUP_SCOPE_REFUSED.contains(h.command());
    }

    /** One request: never throws, always a frame. */
    public ObjectNode dispatch(String requestId, JsonNode command, JsonNode args, NclCaller caller) {
        try {
            return ok(requestId, run(command, args, caller));
        } catch (NclException e) {
            return error(requestId, e.code(), e.getMessage());
        }
    }

    /** Resolves, checks and runs a command; the data of the reply, or the refusal. */
    public JsonNode run(JsonNode command, JsonNode args, NclCaller caller) throws NclException {
        if (command == null || !command.isTextual() || command.asText().isBlank()) {
            throw new NclException(NclException.INVALID_ARGS, "the request needs a \"command\" string, like "
                    + "\"groups-list\"; run `ncl help` for the commands");
        }
        if (args != null && !args.isNull() && !args.isObject()) {
            throw new NclException(NclException.INVALID_ARGS, "\"args\" must be an object of --key values");
        }
        ObjectNode a = args == null || args.isNull() ? JsonNodeFactory.instance.objectNode()
                : ((ObjectNode) args).deepCopy();
        String name = command.asText().strip().toLowerCase(java.util.Locale.ROOT);
        if (!COMMAND.matcher(name).matches()) {
            throw new NclException(NclException.UNKNOWN_COMMAND, "unknown command '" + printable(name)
                    + "'; run `ncl help` for the commands");
        }
        for (var e : a.properties()) {
            if (!e.getKey().matches("[a-z0-9_]{1,64}") || e.getValue().isContainerNode()) {
                throw new NclException(NclException.INVALID_ARGS, "bad argument '" + printable(e.getKey())
                        + "': arguments are --key value pairs");
            }
        }
        NclHandler h = resolve(name, a);
        NclCall call = new NclCall(null, h.command(), a, caller);
        if (!caller.operator()) {
            applyScope(h, a, caller);
        }
        checkArguments(h, a);
        return invoke(h, call, !caller.operator() && h.access() == NclAccess.APPROVAL);
    }

    private JsonNode invoke(NclHandler h, NclCall call, boolean needsApproval) throws NclException {
        try {
            h.validate(call);
            if (needsApproval) {
                requestApproval(h, call.args(), call.caller());
            }
            JsonNode data = h.handle(call);
            return data == null ? JsonNodeFactory.instance.objectNode() : data;
        } catch (NclException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new NclException(NclException.INVALID_ARGS, e.getMessage());
        } catch (DbException e) {
            LOG.warnf(e, "ncl %s failed", h.command());
            String why = e.getCause() == null ? "" : e.getCause().getMessage();
            throw new NclException(NclException.HANDLER_ERROR, h.command() + " failed: database error"
                    + (why == null || why.isBlank() ? "" : " (" + firstLine(why) + ")"));
        } catch (RuntimeException e) {
            LOG.warnf(e, "ncl %s failed", h.command());
            throw new NclException(NclException.HANDLER_ERROR, h.command() + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage()))
                    + " (details in the host log)");
        }
    }

    /**
     * The command by name; else the longest known prefix, the rest being the id ("groups-get-ag-1-x" → groups-get
     * with id "ag-1-x"); {@code <resource>-help} is help for one resource.
     */
    NclHandler resolve(String name, ObjectNode args) throws NclException {
        Map<String, NclHandler> all = handlers();
        NclHandler h = all.get(name);
        if (h != null) {
            return h;
        }
        if (name.endsWith("-help") && resources().contains(name.substring(0, name.length() - 5))
                && all.containsKey("help")) {
            args.put("resource", name.substring(0, name.length() - 5));
            return all.get("help");
        }
        String[] seg = name.split("-");
        for (int k = seg.length - 1; k >= 1; k--) {
            String prefix = String.join("-", Arrays.copyOfRange(seg, 0, k));
            NclHandler p = all.get(prefix);
            if (p != null) {
                String id = String.join("-", Arrays.copyOfRange(seg, k, seg.length));
                String given = args.hasNonNull("id") ? args.get("id").asText() : null;
                if (given != null && !given.equals(id)) {
                    throw new NclException(NclException.INVALID_ARGS, "two ids given: '" + id + "' and --id "
                            + given);
                }
                args.put("id", id);
                return p;
            }
        }
        throw new NclException(NclException.UNKNOWN_COMMAND, unknownMessage(name));
    }

    private String unknownMessage(String name) {
        Map<String, NclHandler> all = handlers();
        String res = resource(name);
        StringBuilder sb = new StringBuilder("unknown command '" + NclDispatcher.words(name) + "'");
        if (resources().contains(name)) {
            sb = new StringBuilder("'" + name + "' needs a verb: " + String.join(", ", verbs(name)));
            return sb.toString();
        }
        String guess = NclArgs.closest(name, all.keySet());
        if (guess != null) {
            sb.append("; did you mean '").append(NclDispatcher.words(guess)).append("'?");
        } else if (resources().contains(res)) {
            sb.append("; ").append(res).append(" has: ").append(String.join(", ", verbs(res)));
        } else {
            String r = NclArgs.closest(res, resources());
            if (r != null) {
                sb.append("; did you mean '").append(r).append("'? (").append(r).append(" has: ")
                        .append(String.join(", ", verbs(r))).append(")");
            }
        }
        return sb.append("; run `ncl help` for the commands").toString();
    }

    /** The resources that have commands. */
    public Set<String> resources() {
        Set<String> out = new TreeSet<>();
        for (String c : handlers().keySet()) {
            out.add(resource(c));
        }
        return out;
    }

    private List<String> verbs(String resource) {
        List<String> out = new ArrayList<>();
        for (String c : handlers().keySet()) {
            if (resource(c).equals(resource) && c.length() > resource.length()) {
                out.add(words(c).substring(resource.length() + 1));
            }
        }
        return out;
    }

    private void checkArguments(NclHandler h, ObjectNode args) throws NclException {
        Set<String> known = h.arguments();
        if (known == null) {
            return;
        }
        for (String key : iterable(args.fieldNames())) {
            if (!known.contains(key)) {
                String flag = NclArgs.flag(key);
                StringBuilder sb = new StringBuilder("unknown argument " + flag + " for '"
                        + NclDispatcher.words(h.command()) + "'");
                String guess = NclArgs.closest(key, known);
                if (guess != null) {
                    sb.append("; did you mean ").append(NclArgs.flag(guess)).append("?");
                }
                sb.append(known.isEmpty() ? " (it takes no arguments)" : " (it takes: " + String.join(", ",
                        known.stream().map(NclArgs::flag).toList()) + ")");
                throw new NclException(NclException.INVALID_ARGS, sb.toString());
            }
        }
    }

    /**
     * host.md 9, "Agent callers": disabled → nothing; group → its own group only, in groups, sessions,
     * destinations and members (its group id filled in, any other refused, cli_scope untouchable); global → all.
     * Operator-only commands are never an agent's.
     */
    void applyScope(NclHandler h, ObjectNode args, NclCaller caller) throws NclException {
        String scope = caller.scope() == null ? "group" : caller.scope();
        if (scope.equals("disabled")) {
            throw new NclException(NclException.FORBIDDEN, "ncl is disabled for this agent group (cli_scope "
                    + "disabled)");
        }
        if (h.access() == NclAccess.OPERATOR) {
            throw new NclException(NclException.FORBIDDEN, "'" + NclDispatcher.words(h.command())
                    + "' is for the operator only");
        }
        if (scope.equals("global")) {
            return;
        }
        if (!scope.equals("group")) {
            throw new NclException(NclException.FORBIDDEN, "unknown cli_scope '" + printable(scope) + "'");
        }
        String res = resource(h.command());
        if (!GROUP_SCOPE_RESOURCES.contains(res) || GROUP_SCOPE_REFUSED.contains(h.command())) {
            throw new NclException(NclException.FORBIDDEN, "'" + NclDispatcher.words(h.command()) + "' is outside "
                    + "this agent's scope (cli_scope group: groups, sessions, destinations and members of its own "
                    + "group, and help)");
        }
        if (res.equals("help")) {
            return;
        }
        if (args.has("cli_scope")) {
            throw new NclException(NclException.FORBIDDEN, "an agent can't change its own cli_scope");
        }
        String own = caller.agentGroupId();
        if (res.equals("sessions") && h.command().equals("sessions-get")) {
            return; // the handler answers "session not found" for another group's session
        }
        String key = res.equals("groups") ? "id" : "group";
        for (String k : List.of(key, "group", "agent_group_id")) {
            if (args.hasNonNull(k) && !args.get(k).asText().equals(own)) {
                throw new NclException(NclException.FORBIDDEN, "this agent may only use its own group ("
                        + own + "), not " + printable(args.get(k).asText()));
            }
        }
        Set<String> known = h.arguments();
        if (known == null || known.contains(key)) {
            args.put(key, own);
        }
    }

    private void requestApproval(NclHandler h, ObjectNode args, NclCaller caller) throws NclException {
        Session s = caller.sessionId() == null ? null : sessions.byId(caller.sessionId()).orElse(null);
        if (s == null) {
            throw new NclException(NclException.HANDLER_ERROR, "the calling session no longer exists");
        }
        if (h.command().equals("groups-restart")) {
            args.put("session", s.id()); // an agent restarts only its own session (host.md 9)
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("command", h.command());
        payload.set("args", args);
        String who = agentGroups.byId(s.agentGroupId()).map(g -> g.name()).orElse(s.agentGroupId());
        approvals.request(s, APPROVAL_ACTION, payload, "🛠 ncl command", who + " asks to run:\nncl "
                + display(h.command(), args));
        throw new NclException(NclException.APPROVAL_PENDING, "'" + NclDispatcher.words(h.command())
                + "' needs an admin's approval: a request was sent, and you will get a note with the result");
    }

    /** The command line as an approver reads it; values of --env are not shown (they may be secrets). */
    public static String display(String command, ObjectNode args) {
        StringBuilder sb = new StringBuilder(NclDispatcher.words(command));
        for (var e : args.properties()) {
            sb.append(" --").append(e.getKey().replace('_', '-'));
            if (e.getKey().equals("env")) {
                sb.append(" (values not shown)");
            } else if (!(e.getValue().isBoolean() && e.getValue().asBoolean())) {
                String v = e.getValue().asText();
                sb.append(' ').append(v.matches("[A-Za-z0-9._:@/,+=-]+") ? v : "'" + v.replace("'", "'\\''") + "'");
            }
        }
        return sb.toString();
    }

    static ObjectNode ok(String id, JsonNode data) {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("id", id);
        f.put("ok", true);
        f.set("data", data);
        return f;
    }

    public static ObjectNode error(String id, String code, String message) {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("id", id);
        f.put("ok", false);
        f.putObject("error").put("code", code).put("message", message);
        return f;
    }

    private static String firstLine(String s) {
        String l = s.lines().findFirst().orElse(s);
        return l.length() > 300 ? l.substring(0, 300) + "…" : l;
    }

    static String printable(String s) {
        String v = s.replaceAll("[^\\x20-\\x7e]", "?");
        return v.length() > 80 ? v.substring(0, 80) + "…" : v;
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** The commands a caller may see, by name. */
    public List<NclHandler> visible(NclCaller caller) {
        Collection<NclHandler> all = handlers().values();
        return all.stream().filter(h -> visibleTo(h, caller)).toList();
    }

    Optional<NclHandler> handler(String command) {
        return Optional.ofNullable(handlers().get(command));
    }
}
