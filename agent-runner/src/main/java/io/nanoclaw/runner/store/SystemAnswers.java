package io.nanoclaw.runner.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.json.Json;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the host's answer to a request among the pending system rows: the row whose content has the given
 * {@code type} and request id. The content is parsed, not LIKE-matched as upstream does, so the match does not
 * depend on how compactly the host wrote its JSON, and text that merely mentions the id can't match. Rows already
 * acked (an answer taken earlier, not yet synced by the host) are skipped.
 */
public final class SystemAnswers {
    private SystemAnswers() {}

    /** A matched answer row and its parsed content. */
    public record Answer(String rowId, JsonNode content) {}

    public static Optional<Answer> find(ToolInbound inbound, OutboundStore outbound, String type, String idField,
                                        String idValue) throws SQLException {
        List<Answer> matches = new ArrayList<>();
        for (SystemRow row : inbound.pendingSystemRows()) {
            JsonNode content = parse(row.content());
            if (content != null && type.equals(Json.text(content, "type"))
                    && idValue.equals(Json.text(content, idField))) {
                matches.add(new Answer(row.id(), content));
            }
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        Set<String> acked = outbound.ackedAmong(matches.stream().map(Answer::rowId).toList());
        return matches.stream().filter(a -> !acked.contains(a.rowId())).findFirst();
    }

    private static JsonNode parse(String content) {
        if (content == null) {
            return null;
        }
        try {
            JsonNode n = Json.parse(content);
            return n != null && n.isObject() ? n : null;
        } catch (JsonProcessingException e) {
            return null; // not ours: some other system row with odd content
        }
    }
}
