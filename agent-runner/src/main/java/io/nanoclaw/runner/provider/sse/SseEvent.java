package io.nanoclaw.runner.provider.sse;

/**
 * One dispatched server-sent event.
 *
 * @param event the {@code event:} field, "message" when the server sent none
 * @param data the {@code data:} lines joined with newlines
 */
public record SseEvent(String event, String data) {
}
