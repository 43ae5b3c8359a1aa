package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.store.Routing;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;

/**
 * schedule_task (agent-runner.md 3.3): asks the host to insert a task row into inbound.db (the runner never writes
 * that file). The task reports back to the session's chat, so its routing travels in the content too.
 */
final class ScheduleTask extends NanoclawTool {
    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .property("prompt", "string", "Task instructions/prompt", true)
            .property("processAfter", "string", "ISO 8601 time of the first run. Either UTC (ending in \"Z\" or an"
                    + " offset such as \"+00:00\") or a naive local time without offset, read in the user's timezone"
                    + " (e.g. \"2026-01-15T21:00:00\" = 9pm user-local). Prefer naive local.", true)
            .property("recurrence", "string", "Cron expression for recurring tasks (e.g. \"0 9 * * 1-5\" = weekdays"
                    + " at 9am user-local), evaluated in the user's timezone.", false)
            .property("script", "string", "Optional pre-agent script to run before processing", false)
            .build();

    ScheduleTask(NanoclawToolEnv env) {
        super(env, "schedule_task", "Schedule a one-shot or recurring task. The user's timezone is declared in the"
                + " <context timezone=\"...\"/> header of your prompt: read the user's \"9pm\" in that zone. Cron"
                + " expressions are evaluated in the user's timezone too.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        String prompt = Args.text(input, "prompt");
        String processAfterIn = Args.text(input, "processAfter");
        if (prompt == null || processAfterIn == null) {
            throw new Refusal("prompt and processAfter are required");
        }
        String processAfter = ScheduleTimes.processAfter(processAfterIn, env.zone());
        String recurrenceIn = Args.text(input, "recurrence");
        String recurrence = recurrenceIn == null ? null : ScheduleTimes.recurrence(recurrenceIn);
        String script = Args.text(input, "script");
        Routing r = env.inbound().sessionRouting().orElse(new Routing(null, null, null));

        String taskId = MessageIds.next("task");
        ObjectNode content = Json.object();
        content.put("action", "schedule_task");
        content.put("taskId", taskId);
        content.put("prompt", prompt);
        content.put("script", script);
        content.put("processAfter", processAfter);
        content.put("recurrence", recurrence);
        content.put("platformId", r.platformId());
        content.put("channelType", r.channelType());
        content.put("threadId", r.threadId());
        OutboundRows.write(env, new OutboundMessage(taskId, MessageKind.SYSTEM, content.toString(), r, null));
        return "Task scheduled (id: " + taskId + ", runs at: " + processAfter
                + (recurrence == null ? "" : ", recurrence: " + recurrence) + ")";
    }
}
