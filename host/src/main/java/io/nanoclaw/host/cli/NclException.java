package io.nanoclaw.host.cli;

/** A refused or failed command, sent back as {@code {ok: false, error: {code, message}}} (host.md 9). */
public class NclException extends Exception {
    public static final String UNKNOWN_COMMAND = "unknown-command";
    public static final String INVALID_ARGS = "invalid-args";
    public static final String PERMISSION_DENIED = "permission-denied";
    public static final String FORBIDDEN = "forbidden";
    public static final String APPROVAL_PENDING = "approval-pending";
    public static final String NOT_FOUND = "not-found";
    public static final String HANDLER_ERROR = "handler-error";

    private final String code;

    public NclException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
