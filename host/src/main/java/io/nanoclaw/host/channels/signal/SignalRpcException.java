package io.nanoclaw.host.channels.signal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** signal-cli answered a request with a JSON-RPC error object. */
public class SignalRpcException extends IOException {
    /** JSON-RPC: no such method ("Method not implemented"). */
    static final int METHOD_NOT_FOUND = -32601;
    /** JSON-RPC: bad params; signal-cli's multi-account mode says so for an account it does not have. */
    static final int INVALID_PARAMS = -32602;
    /** signal-cli: an error the user can fix (unknown group, not registered, bad recipient). */
    static final int USER_ERROR = -1;
    /** signal-cli: rate limited by the Signal server (newer versions). */
    static final int RATE_LIMIT_ERROR = -5;

    private final int code;
    private final JsonNode data;

    public SignalRpcException(String method, int code, String message, JsonNode data) {
        super("signal-cli " + method + ": " + message + " (" + code + ")");
        this.code = code;
        this.data = data;
    }

    public int code() {
        return code;
    }

    /** The error's {@code data} (signal-cli puts the send results in {@code data.response}), or null. */
    public JsonNode data() {
        return data;
    }
}
