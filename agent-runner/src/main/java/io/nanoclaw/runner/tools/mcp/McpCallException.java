package io.nanoclaw.runner.tools.mcp;

/** Why a request to an MCP server got no result; the kind decides whether the server is restarted. */
final class McpCallException extends Exception {
    enum Kind {
        /** The server could not be started or did not complete the handshake. */
        START_FAILED,
        /** The request never reached the server (it was not running, or the write failed): safe to retry. */
        NOT_SENT,
        /** The server died after the request was written: it may or may not have acted on it. */
        CRASHED,
        /** No answer in time. */
        TIMEOUT,
        /** The server answered with a JSON-RPC error. */
        RPC_ERROR
    }

    private final Kind kind;

    McpCallException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
