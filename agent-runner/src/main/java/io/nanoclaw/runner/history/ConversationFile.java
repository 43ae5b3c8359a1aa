package io.nanoclaw.runner.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation as JSONL, one Messages-API turn per line. Turns are appended one whole exchange (user/assistant
 * pairs, tool turns included) per write, so a crash can at worst tear the tail: it is dropped on load back to the
 * last complete answer; anything else wrong means the file is corrupt.
 */
public final class ConversationFile {
    private ConversationFile() {}

    /** Thrown for a file that exists but can't be trusted as a history. */
    public static final class CorruptHistoryException extends IOException {
        CorruptHistoryException(String message) {
            super(message);
        }
    }

    /**
     * The turns, always an even count (user, assistant, ...) ending with a complete answer (no dangling
     * tool_use); throws NoSuchFileException when absent.
     */
    public static List<ObjectNode> load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<ObjectNode> turns = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = Json.parse(line);
            } catch (IOException e) {
                if (i == lines.size() - 1) {
                    break; // torn final write
                }
                throw new CorruptHistoryException("line " + (i + 1) + " is not JSON");
            }
            String expected = turns.size() % 2 == 0 ? Turns.USER : Turns.ASSISTANT;
            if (!(n instanceof ObjectNode o) || !expected.equals(Json.text(o, "role")) || !validContent(o)) {
                throw new CorruptHistoryException("line " + (i + 1) + " is not a " + expected + " turn");
            }
            turns.add(o);
        }
        // A torn write can leave a partial exchange: a user turn whose answer was never written, or an assistant
        // tool_use turn whose tool_results are missing. Drop the tail back to the last complete answer.
        while (!turns.isEmpty() && (turns.size() % 2 == 1 || hasToolUse(turns.get(turns.size() - 1)))) {
            turns.remove(turns.size() - 1);
        }
        return turns;
    }

    public static void append(Path file, List<ObjectNode> turns) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode t : turns) {
            sb.append(t.toString()).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    private static boolean hasToolUse(ObjectNode turn) {
        JsonNode c = turn.get("content");
        if (c != null && c.isArray()) {
            for (JsonNode b : c) {
                if ("tool_use".equals(Json.text(b, "type"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean validContent(ObjectNode turn) {
        JsonNode c = turn.get("content");
        return c != null && ((c.isTextual() && !c.textValue().isEmpty()) || (c.isArray() && !c.isEmpty()));
    }
}
