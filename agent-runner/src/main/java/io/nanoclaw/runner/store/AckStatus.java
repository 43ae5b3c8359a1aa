package io.nanoclaw.runner.store;

/** processing_ack.status values. The host syncs completed and failed into messages_in.status. */
public enum AckStatus {
    PROCESSING("processing"),
    COMPLETED("completed"),
    FAILED("failed");

    private final String column;

    AckStatus(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }
}
