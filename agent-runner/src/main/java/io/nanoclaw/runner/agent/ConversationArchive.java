package io.nanoclaw.runner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a conversation to the group's {@code conversations/} folder before it is compacted (agent-runner.md
 * 1.9), so the agent can still search what the summary left out: a {@code # Conversation} header, an
 * {@code Archived:} line, then one {@code **User**:} / {@code **Name**:} paragraph per turn's text, each capped at
 * 2000 characters. Tool calls and results are left out: they are bulky and rarely worth re-reading.
 */
final class ConversationArchive {
    static final int MAX_ENTRY_CHARS = 2000;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private ConversationArchive() {}

    /** @return the file written */
    static Path write(Path dir, List<ObjectNode> turns, String assistantName, ZonedDateTime now) throws IOException {
        Files.createDirectories(dir);
        String base = now.format(DAY) + "-conversation-" + now.format(HHMM);
        Path file = dir.resolve(base + ".md");
        for (int n = 2; Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
            file = dir.resolve(base + "-" + n + ".md");
        }
        String name = assistantName == null || assistantName.isBlank() ? "Assistant" : assistantName;
        StringBuilder sb = new StringBuilder("# Conversation\n\nArchived: ").append(now.format(STAMP)).append("\n");
        for (ObjectNode turn : turns) {
            String text = textOf(turn).strip();
            if (text.isEmpty()) {
                continue;
            }
            boolean user = Turns.USER.equals(Json.text(turn, "role"));
            sb.append("\n**").append(user ? "User" : name).append("**: ").append(cap(text)).append('\n');
        }
        // CREATE_NEW: never follow or overwrite something the agent put at that name
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        return file;
    }

    static String textOf(ObjectNode turn) {
        JsonNode content = turn.get("content");
        if (content == null) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : content) {
            if ("text".equals(Json.text(b, "type"))) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(Json.text(b, "text"));
            }
        }
        return sb.toString();
    }

    private static String cap(String s) {
        return s.length() <= MAX_ENTRY_CHARS ? s : s.substring(0, MAX_ENTRY_CHARS) + "…";
    }
}
