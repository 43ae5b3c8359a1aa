package io.nanoclaw.runner.store;

/**
 * A row found by the seq the agent saw: its id and where it went or came from. Edits and reactions go to the same
 * chat as the row they refer to.
 */
public record RowRef(String id, Routing routing) {
}
