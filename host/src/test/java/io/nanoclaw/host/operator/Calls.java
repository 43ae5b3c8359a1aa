package io.nanoclaw.host.operator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCaller;

/** NclCalls as the dispatcher builds them, for handler tests. */
public final class Calls {
    private Calls() {}

    /** The operator's call with {@code --k v} pairs (keys with {@code _}). */
    public static NclCall operator(String command, String... kv) {
        return as(NclCaller.OPERATOR, command, kv);
    }

    public static NclCall as(NclCaller caller, String command, String... kv) {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            args.put(kv[i], kv[i + 1]);
        }
        return new NclCall("t-1", command, args, caller);
    }
}
