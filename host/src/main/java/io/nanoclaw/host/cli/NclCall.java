package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One command as received: its dashed name, its arguments ({@code --k v} pairs, {@code -} in keys as {@code _}). */
public record NclCall(String id, String command, ObjectNode args, NclCaller caller) {
    /** A required argument, or {@code invalid-args} naming it. */
    public String require(String key) throws NclException {
        String v = optional(key);
        if (v == null) {
            throw new NclException(NclException.INVALID_ARGS, "missing --" + key.replace('_', '-'));
        }
        return v;
    }

    /** An argument as text, or null when absent or blank. */
    public String optional(String key) {
        var n = args == null ? null : args.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        String v = n.asText();
        return v.isBlank() ? null : v;
    }
}
