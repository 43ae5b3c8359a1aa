package io.nanoclaw.runner.store;

/** A pending kind=system inbound row: the host's answer to a tool (a question response, a cli response). */
public record SystemRow(String id, String content) {
}
