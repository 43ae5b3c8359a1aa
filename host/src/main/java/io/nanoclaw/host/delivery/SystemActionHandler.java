package io.nanoclaw.host.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.entities.Session;

/**
 * Handles one kind of {@code kind=system} outbound row, chosen by its {@code content.action} (host.md 6). Handlers
 * are CDI beans, found at build time. A handler that throws is retried like any delivery; content from the agent is
 * untrusted and must be validated by the handler.
 */
public interface SystemActionHandler {
    /** The {@code content.action} value this handler serves, e.g. "schedule_task". */
    String action();

    void handle(Session session, JsonNode content) throws Exception;
}
