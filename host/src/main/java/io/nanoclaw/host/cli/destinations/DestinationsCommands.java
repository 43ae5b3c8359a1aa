package io.nanoclaw.host.cli.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCommand;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclList;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Destinations;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.sessions.DestinationProjection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ncl destinations ...}: where an agent group may send, under which names. Every change is re-projected into
 * the group's running sessions at once.
 */
public final class DestinationsCommands {
    private DestinationsCommands() {}

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Singleton
    public static class ListAll extends NclList {
        public ListAll() {
            super("destinations-list", "an agent group's destinations (its send ACL and names)",
                    "SELECT agent_group_id, local_name, target_type, target_id, created_at FROM agent_destinations",
                    List.of("agent_group_id", "local_name", "target_type", "target_id", "created_at"),
                    Map.of("group", "agent_group_id", "name", "local_name"), "agent_group_id, local_name");
        }
    }

    @Singleton
    public static class Add extends NclCommand {
        @Inject
        Db db;
        @Inject
        AgentGroups groups;
        @Inject
        MessagingGroups chats;
        @Inject
        DestinationProjection projection;

        public Add() {
            super("destinations-add", NclAccess.APPROVAL, "--group <agent group> --name <name> "
                    + "(--channel <messaging group> | --agent <agent group>)",
                    "let a group send to a chat or an agent under a name");
        }

        @Override
        public void validate(NclCall call) throws NclException {
            call.require("group");
            String name = call.require("name");
            if (!NAME.matcher(name).matches()) {
                throw new NclException(NclException.INVALID_ARGS, "--name must be 1-64 letters, digits, '.', '_' "
                        + "or '-', starting with a letter or digit, not '" + name + "'");
            }
            if ((call.optional("channel") == null) == (call.optional("agent") == null)) {
                throw new NclException(NclException.INVALID_ARGS, "give exactly one of --channel <messaging group> "
                        + "or --agent <agent group>");
            }
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String group = call.require("group");
            String name = call.require("name");
            if (groups.byId(group).isEmpty()) {
                throw new NclException(NclException.NOT_FOUND, "no agent group '" + group + "'");
            }
            String channel = call.optional("channel");
            String agent = call.optional("agent");
            if (channel != null && chats.byId(channel).isEmpty()) {
                throw new NclException(NclException.NOT_FOUND, "no messaging group '" + channel + "'");
            }
            if (agent != null && groups.byId(agent).isEmpty()) {
                throw new NclException(NclException.NOT_FOUND, "no agent group '" + agent + "'");
            }
            boolean added = db.inTransaction(c -> {
                if (Destinations.nameTaken(c, group, name)) {
                    return false;
                }
                if (channel != null) {
                    Destinations.addChannelDestination(c, group, name, channel);
                } else {
                    Destinations.addAgentDestination(c, group, name, agent);
                }
                return true;
            });
            if (!added) {
                throw new NclException(NclException.INVALID_ARGS, "agent group " + group + " already has a "
                        + "destination named '" + name + "'");
            }
            int n = projection.reproject(group);
            return JsonNodeFactory.instance.objectNode().put("agent_group_id", group).put("local_name", name)
                    .put("target_type", channel != null ? "channel" : "agent")
                    .put("target_id", channel != null ? channel : agent).put("sessions_updated", n);
        }
    }

    @Singleton
    public static class Remove extends NclCommand {
        @Inject
        Destinations destinations;
        @Inject
        DestinationProjection projection;

        public Remove() {
            super("destinations-remove", NclAccess.APPROVAL, "--group <agent group> --name <name>",
                    "take a destination away from a group");
        }

        @Override
        public JsonNode handle(NclCall call) throws NclException {
            String group = call.require("group");
            String name = call.require("name");
            if (!destinations.remove(group, name)) {
                throw new NclException(NclException.NOT_FOUND, "agent group " + group + " has no destination named '"
                        + name + "' (see `ncl destinations list --group " + group + "`)");
            }
            int n = projection.reproject(group);
            return JsonNodeFactory.instance.objectNode().put("agent_group_id", group).put("removed", name)
                    .put("sessions_updated", n);
        }
    }
}
