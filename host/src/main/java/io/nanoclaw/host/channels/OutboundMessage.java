package io.nanoclaw.host.channels;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/** One outbound row to deliver: its kind, its parsed content and the files taken from its outbox folder. */
public record OutboundMessage(String id, String kind, JsonNode content, List<Path> files) {

    /** The plain text of the message, or "" when it has none. */
    public String text() {
        JsonNode t = content == null ? null : content.get("text");
        return t == null || t.isNull() ? "" : t.asText();
    }
}
