package io.nanoclaw.host.channels.slack;

import java.io.IOException;

/** Slack answered {@code ok: false}: {@code error} is its code ("channel_not_found", "invalid_auth"…). */
public class SlackApiException extends IOException {
    private final String method;
    private final String error;

    public SlackApiException(String method, String error) {
        super("Slack refused " + method + ": " + error);
        this.method = method;
        this.error = error;
    }

    public String method() {
        return method;
    }

    public String error() {
        return error;
    }

    /** The token itself was refused: retrying with it can't help. */
    public boolean tokenRejected() {
        return switch (error) {
            case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                 "not_allowed_token_type", "missing_scope" -> true;
            default -> false;
        };
    }
}
