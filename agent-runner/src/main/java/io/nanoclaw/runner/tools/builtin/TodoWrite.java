package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Claude Code's TodoWrite: the model's own task list for a multi-step job. Each call replaces the whole list. It
 * lives in memory for the session; with a file it is also written there (the latest list, for an operator to look
 * at), never read back: the model re-sends the full list with every change anyway.
 */
public final class TodoWrite implements Tool {
    static final Set<String> STATUSES = Set.of("pending", "in_progress", "completed");
    static final String CONFIRMATION = "Todos have been modified successfully. Ensure that you continue to use the"
            + " todo list to track your progress. Please proceed with the current tasks if applicable";

    private static final ObjectNode SCHEMA = Schema.object().property("todos", todosSchema(), true).build();

    /** One item of the list. */
    public record Todo(String content, String status, String activeForm) {}

    private final Path file;
    private volatile List<Todo> todos = List.of();

    /** @param file where the current list is written after each change; null keeps it in memory only */
    public TodoWrite(Path file) {
        this.file = file;
    }

    private static ObjectNode todosSchema() {
        ObjectNode item = Json.object();
        item.put("type", "object");
        ObjectNode props = item.putObject("properties");
        ObjectNode content = props.putObject("content");
        content.put("type", "string");
        content.put("minLength", 1);
        ObjectNode status = props.putObject("status");
        status.put("type", "string");
        ArrayNode values = status.putArray("enum");
        values.add("pending").add("in_progress").add("completed");
        ObjectNode activeForm = props.putObject("activeForm");
        activeForm.put("type", "string");
        activeForm.put("minLength", 1);
        item.putArray("required").add("content").add("status").add("activeForm");
        item.put("additionalProperties", false);
        ObjectNode todos = Json.object();
        todos.put("type", "array");
        todos.set("items", item);
        todos.put("description", "The updated todo list");
        return todos;
    }

    @Override
    public String name() {
        return "TodoWrite";
    }

    @Override
    public String description() {
        return "Creates and updates a structured task list for the current job, to track progress on complex"
                + " multi-step work (three or more distinct steps, or several tasks the user gave). Skip it for a"
                + " single or trivial task and for conversation. Each call sends the whole list. Every item has"
                + " content (imperative: \"Run the tests\"), activeForm (present continuous: \"Running the tests\")"
                + " and a status: pending, in_progress or completed. Keep exactly one item in_progress while"
                + " working, mark items completed as soon as they are done, and remove items that no longer apply.";
    }

    @Override
    public ObjectNode inputSchema() {
        return SCHEMA.deepCopy();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    /** The list as last written. */
    public List<Todo> todos() {
        return todos;
    }

    @Override
    public ToolResult run(JsonNode input, ToolContext context) {
        List<Todo> list;
        try {
            list = parse(input);
        } catch (BadInput e) {
            return ToolResult.error(e.getMessage());
        }
        todos = list;
        if (file != null) {
            save(list);
        }
        return ToolResult.ok(CONFIRMATION);
    }

    static List<Todo> parse(JsonNode input) throws BadInput {
        JsonNode todos = input == null ? null : input.get("todos");
        if (todos == null || todos.isNull()) {
            throw new BadInput("missing required parameter: todos");
        }
        if (!todos.isArray()) {
            throw new BadInput("parameter todos must be an array of {content, status, activeForm}");
        }
        List<Todo> out = new ArrayList<>();
        for (int i = 0; i < todos.size(); i++) {
            JsonNode t = todos.get(i);
            String where = "todos[" + i + "]";
            if (!t.isObject()) {
                throw new BadInput(where + " must be an object with content, status and activeForm");
            }
            String content = nonEmpty(t, "content", where);
            String status = nonEmpty(t, "status", where);
            if (!STATUSES.contains(status)) {
                throw new BadInput(where + ".status must be one of pending, in_progress, completed (got \""
                        + status + "\")");
            }
            out.add(new Todo(content, status, nonEmpty(t, "activeForm", where)));
        }
        return List.copyOf(out);
    }

    private static String nonEmpty(JsonNode item, String field, String where) throws BadInput {
        JsonNode v = item.get(field);
        if (v == null || v.isNull()) {
            throw new BadInput(where + " is missing " + field);
        }
        if (!v.isTextual()) {
            throw new BadInput(where + "." + field + " must be a string");
        }
        if (v.textValue().isBlank()) {
            throw new BadInput(where + "." + field + " must not be empty");
        }
        return v.textValue();
    }

    /** Best effort: the list in memory is what counts, so a failed write is only logged. */
    private synchronized void save(List<Todo> list) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Todo t : list) {
            ObjectNode o = array.addObject();
            o.put("content", t.content());
            o.put("status", t.status());
            o.put("activeForm", t.activeForm());
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".todos-", ".tmp");
            try {
                Files.writeString(tmp, array.toPrettyString() + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            Log.warn("todo", "cannot write " + file + ": " + Log.describe(e));
        }
    }
}
