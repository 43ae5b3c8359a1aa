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
 * cancel_task, pause_task and resume_task (agent-runner.md 3.3): the same request with a different action. The
 * host matches the id against a task's id or series id.
 */
final class TaskControl extends NanoclawTool {
    private final String action;
    private final String requested;

    private TaskControl(NanoclawToolEnv env, String action, String description, String idDescription,
                        String requested) {
        super(env, action, description, SchemaBuilder.object()
                .property("taskId", "string", idDescription, true)
                .build());
        this.action = action;
        this.requested = requested;
    }

    static TaskControl cancel(NanoclawToolEnv env) {
        return new TaskControl(env, "cancel_task", "Cancel a scheduled task.", "Task ID to cancel", "cancellation");
    }

    static TaskControl pause(NanoclawToolEnv env) {
        return new TaskControl(env, "pause_task", "Pause a scheduled task. It will not run until resumed.",
                "Task ID to pause", "pause");
    }

    static TaskControl resume(NanoclawToolEnv env) {
        return new TaskControl(env, "resume_task", "Resume a paused task.", "Task ID to resume", "resume");
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        String taskId = Args.text(input, "taskId");
        if (taskId == null) {
            throw new Refusal("taskId is required");
        }
        ObjectNode content = Json.object();
        content.put("action", action);
        content.put("taskId", taskId);
        OutboundRows.write(env, new OutboundMessage(MessageIds.next("sys"), MessageKind.SYSTEM, content.toString(),
                null, null));
        return "Task " + requested + " requested: " + taskId;
    }
}
