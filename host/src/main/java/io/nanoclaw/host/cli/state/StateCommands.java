package io.nanoclaw.host.cli.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCommand;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclList;
import io.nanoclaw.host.cli.NclRows;
import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/** Read-only views: sessions, pending approvals, dropped messages. */
public final class StateCommands {
    private StateCommands() {}

    static final String SESSION_COLS = "id, agent_group_id, messaging_group_id, thread_id, status, container_status, "
            + "last_active, created_at";

    @Singleton
    public static class Sessions extends NclList {
        public Sessions() {
            super("sessions-list", "conversations and their containers", "SELECT " + SESSION_COLS + " FROM sessions",
                    List.of("id", "agent_group_id", "messaging_group_id", "thread_id", "status", "container_status",
                            "last_active", "created_at"), Map.of("group", "agent_group_id"),
                    "last_active DESC, id");
        }
    }

    @Singleton
    public static class SessionGet extends NclCommand {
        @Inject
        Db db;
        @Inject
        ContainerRunner containers;

        public SessionGet() {
            super("sessions-get", NclAccess.OPEN, "--id <session>", "one session");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String id = call.require("id");
            ObjectNode n = NclRows.one(db, "SELECT " + SESSION_COLS + " FROM sessions WHERE id = ?", id)
                    .orElse(null);
            // a group-scoped agent can't tell another group's session from one that doesn't exist
            if (n == null || (call.caller().groupScoped()
                    && !n.path("agent_group_id").asText().equals(call.caller().agentGroupId()))) {
                throw new NclException(NclException.NOT_FOUND, "session not found: " + id);
            }
            n.put("container_running", containers.isRunning(id));
            n.put("container", containers.containerOf(id).orElse(null));
            return n;
        }
    }

    static final String APPROVAL_COLS = "approval_id, agent_group_id, session_id, action, status, title, "
            + "approver_user_id, created_at, expires_at";

    @Singleton
    public static class Approvals extends NclList {
        public Approvals() {
            super("approvals-list", "approval requests waiting for an admin",
                    "SELECT " + APPROVAL_COLS + " FROM pending_approvals",
                    List.of("approval_id", "agent_group_id", "session_id", "action", "status", "title",
                            "approver_user_id", "created_at", "expires_at"),
                    Map.of("id", "approval_id", "group", "agent_group_id"), "created_at, approval_id");
        }
    }

    @Singleton
    public static class ApprovalGet extends NclCommand {
        @Inject
        Db db;

        public ApprovalGet() {
            super("approvals-get", NclAccess.OPEN, "--id <approval>", "one approval request with its payload");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String id = call.require("id");
            ObjectNode n = NclRows.one(db, "SELECT " + APPROVAL_COLS + ", payload, channel_type, platform_id "
                    + "FROM pending_approvals WHERE approval_id = ?", id).orElseThrow(() -> new NclException(
                            NclException.NOT_FOUND, "no approval '" + id + "' (see `ncl approvals list`)"));
            JsonNode payload = NclRows.json(n.path("payload").asText(null));
            redact(payload);
            n.set("payload", payload);
            return n;
        }

        /** env values (MCP servers' secrets) are never shown. */
        static void redact(JsonNode n) {
            if (n instanceof ObjectNode o) {
                JsonNode env = o.get("env");
                if (env instanceof ObjectNode e) {
                    e.fieldNames().forEachRemaining(k -> e.put(k, "***"));
                } else if (env != null && env.isTextual()) {
                    o.put("env", "***");
                }
                o.forEach(StateCommands.ApprovalGet::redact);
            }
        }
    }

    @Singleton
    public static class Dropped extends NclList {
        public Dropped() {
            super("dropped-messages-list", "messages that reached no agent, per chat, with a count",
                    "SELECT channel_type, platform_id, user_id, sender_name, reason, messaging_group_id, "
                            + "agent_group_id, message_count, first_seen, last_seen FROM unregistered_senders",
                    List.of("channel_type", "platform_id", "user_id", "sender_name", "reason", "messaging_group_id",
                            "agent_group_id", "message_count", "first_seen", "last_seen"),
                    Map.of("group", "agent_group_id"), "last_seen DESC");
        }
    }
}
