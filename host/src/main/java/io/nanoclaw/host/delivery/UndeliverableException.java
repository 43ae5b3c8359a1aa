package io.nanoclaw.host.delivery;

/** A row that can't reach its destination; retried, then marked failed and the agent told. */
public class UndeliverableException extends Exception {
    public UndeliverableException(String message) {
        super(message);
    }
}
