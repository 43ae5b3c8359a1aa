package io.nanoclaw.host.channels.telegram;

import java.io.IOException;

/**
 * Telegram answered {@code {ok: false, error_code, description}}: a refusal, not an outage (those are
 * {@link io.nanoclaw.host.channels.PlatformUnavailableException}, and 429 a
 * {@link io.nanoclaw.host.channels.RateLimitedException}, both from PlatformHttp).
 */
public class TelegramApiException extends IOException {
    private final String method;
    private final int errorCode;
    private final String description;

    public TelegramApiException(String method, int errorCode, String description) {
        super("Telegram " + method + " failed: " + errorCode + " " + description);
        this.method = method;
        this.errorCode = errorCode;
        this.description = description;
    }

    public String method() {
        return method;
    }

    public int errorCode() {
        return errorCode;
    }

    public String description() {
        return description;
    }

    /** The token is wrong (401) or malformed (Telegram answers 404 for those). */
    public boolean tokenRejected() {
        return errorCode == 401 || errorCode == 404;
    }

    /** Retrying can't help: no such chat, bot blocked or kicked, bad request. */
    public boolean refusal() {
        return errorCode == 400 || errorCode == 403;
    }
}
