package io.nanoclaw.runner.provider;

/**
 * A model call that failed for good (after any retries). The message is short and user-safe: it becomes the
 * {@code Error: <message>} reply, so it never carries request bodies or credentials.
 */
public class ProviderException extends Exception {
    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
