package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;

/**
 * update_task (agent-runner.md 3.3): asks the host to change a live task series. Fields left out stay as they are;
 * an empty recurrence or script clears it (sent as null).
 */
final class UpdateTask extends NanoclawTool {
    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .property("taskId", "string", "Series id of the task to update (as list_tasks shows it)", true)
            .property("prompt", "string", "New task prompt (optional)", false)
            .property("recurrence", "string", "New cron expression (optional). An empty string clears it and makes"
                    + " the task one-shot.", false)
            .property("processAfter", "string", "New ISO 8601 time of the next run (optional): UTC (\"Z\" or an"
                    + " offset) or a naive local time read in the user's timezone.", false)
            .property("script", "string", "New pre-agent script (optional). An empty string clears it.", false)
            .build();

    UpdateTask(NanoclawToolEnv env) {
        super(env, "update_task", "Update a scheduled task by the series id list_tasks shows. Fields you leave out"
                + " stay unchanged. Use this instead of cancelling and rescheduling.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        String taskId = Args.text(input, "taskId");
        if (taskId == null) {
            throw new Refusal("taskId is required");
        }
        ObjectNode content = Json.object();
        content.put("action", "update_task");
        content.put("taskId", taskId);
        if (Args.isString(input, "prompt")) {
            content.put("prompt", input.get("prompt").textValue());
        }
        if (Args.isString(input, "processAfter")) {
            content.put("processAfter", ScheduleTimes.processAfter(input.get("processAfter").textValue(), env.zone()));
        }
        if (Args.isString(input, "recurrence")) {
            String r = input.get("recurrence").textValue();
            content.put("recurrence", r.isEmpty() ? null : ScheduleTimes.recurrence(r));
        }
        if (Args.isString(input, "script")) {
            String s = input.get("script").textValue();
            content.put("script", s.isEmpty() ? null : s);
        }
        if (content.size() == 2) {
            throw new Refusal("at least one field to update is required");
        }
        OutboundRows.write(env, new OutboundMessage(MessageIds.next("sys"), MessageKind.SYSTEM, content.toString(),
                null, null));
        return "Task update requested: " + taskId;
    }
}
