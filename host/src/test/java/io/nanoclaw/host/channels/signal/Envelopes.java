package io.nanoclaw.host.channels.signal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Envelopes shaped as signal-cli's JSON output (JsonMessageEnvelope / JsonDataMessage). */
final class Envelopes {
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    private Envelopes() {}

    static ObjectNode from(String number, String name, long ts) {
        return J.objectNode().put("source", number).put("sourceNumber", number)
                .put("sourceUuid", "cccccccc-0000-4000-8000-" + String.format("%012d", Math.abs(number.hashCode())))
                .put("sourceName", name).put("sourceDevice", 1).put("timestamp", ts)
                .put("serverReceivedTimestamp", ts + 5).put("serverDeliveredTimestamp", ts + 6);
    }

    /** A plain text message in a DM. */
    static ObjectNode text(String number, String name, long ts, String text) {
        ObjectNode env = from(number, name, ts);
        env.putObject("dataMessage").put("timestamp", ts).put("message", text).put("expiresInSeconds", 0)
                .put("viewOnce", false);
        return env;
    }

    /** The same in a group. */
    static ObjectNode inGroup(String number, String name, long ts, String groupId, String text) {
        ObjectNode env = text(number, name, ts, text);
        ((ObjectNode) env.get("dataMessage")).putObject("groupInfo").put("groupId", groupId).put("groupName", "Home")
                .put("revision", 3).put("type", "DELIVER");
        return env;
    }

    static ObjectNode data(ObjectNode env) {
        return (ObjectNode) env.get("dataMessage");
    }
}
