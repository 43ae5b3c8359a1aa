package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.TaskRow;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;
import java.util.List;

/**
 * list_tasks (agent-runner.md 3.3): reads the task rows straight from inbound.db, one line per series (its live
 * occurrence), so the id shown is the one update/cancel/pause/resume take.
 */
final class ListTasks extends NanoclawTool {
    static final int PROMPT_PREVIEW = 80;

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .property("status", "string", "Filter by status: pending or paused (default: both)", false)
            .build();

    ListTasks(NanoclawToolEnv env) {
        super(env, "list_tasks", "List scheduled tasks: one line per series, its live (pending or paused)"
                + " occurrence. The id shown is the series id, which update_task, cancel_task, pause_task and"
                + " resume_task expect.", SCHEMA);
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        List<TaskRow> rows = env.inbound().tasks(Args.text(input, "status"));
        if (rows.isEmpty()) {
            return "No tasks found.";
        }
        StringBuilder sb = new StringBuilder();
        for (TaskRow r : rows) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("- ").append(r.seriesId()).append(" [").append(r.status()).append("] at=")
                    .append(Json.firstNonEmpty(r.processAfter(), "now")).append(' ');
            if (r.recurrence() != null && !r.recurrence().isEmpty()) {
                sb.append("recur=").append(r.recurrence()).append(' ');
            }
            sb.append("→ ").append(preview(r.content()));
        }
        return sb.toString();
    }

    private static String preview(String content) {
        String prompt = "";
        try {
            JsonNode n = content == null ? null : Json.parse(content);
            String p = Json.text(n, "prompt");
            prompt = p == null ? "" : p;
        } catch (JsonProcessingException e) {
            // a row the host wrote with odd content: list it without a prompt
        }
        return prompt.length() > PROMPT_PREVIEW ? prompt.substring(0, PROMPT_PREVIEW) : prompt;
    }
}
