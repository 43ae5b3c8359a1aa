package io.nanoclaw.host.sessions;

/** A session DB could not be opened or used. */
public class SessionDbException extends RuntimeException {
    public SessionDbException(String sessionId, String file, Throwable cause) {
        super("session " + sessionId + " " + file + ": " + cause.getMessage(), cause);
    }
}
