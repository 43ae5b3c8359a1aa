package io.nanoclaw.host.attachments;

import java.util.List;

/**
 * Outbox files that may not be sent, each with its reason. The delivery treats the row as failed with this message
 * (nothing of the row is sent, so the user never gets half of a message).
 */
public class OutboxRefusedException extends Exception {
    private final List<String> refusals;

    public OutboxRefusedException(List<String> refusals) {
        super("outbox files refused: " + String.join("; ", refusals));
        this.refusals = List.copyOf(refusals);
    }

    /** One entry per refused file (or for the row folder), e.g. {@code "notes.txt": is a symlink}. */
    public List<String> refusals() {
        return refusals;
    }
}
