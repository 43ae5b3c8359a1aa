package io.nanoclaw.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.format.RowContent;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.liveness.Heartbeat;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.InboundRow;
import io.nanoclaw.runner.store.OutboundStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch step that runs task scripts, one at a time (agent-runner.md 1.5 step 6). A task whose script says
 * {@code wakeAgent: false} (or fails) is acked completed and leaves the batch: the check ran, there was nothing
 * to do. One that says {@code true} stays, with the script's data as {@code scriptOutput} for the formatter.
 */
public final class PreTaskScripts {
    private final TaskScriptRunner runner;
    private final OutboundStore outbound;
    private final Heartbeat heartbeat;

    public PreTaskScripts(TaskScriptRunner runner, OutboundStore outbound, Heartbeat heartbeat) {
        this.runner = runner;
        this.outbound = outbound;
        this.heartbeat = heartbeat;
    }

    /** @return the rows that go on to the agent */
    public List<InboundRow> run(List<InboundRow> rows) throws SQLException {
        List<InboundRow> kept = new ArrayList<>(rows.size());
        for (InboundRow r : rows) {
            String script = scriptOf(r);
            if (script == null) {
                kept.add(r);
                continue;
            }
            heartbeat.touch();
            ScriptOutcome outcome;
            try {
                outcome = runner.run(r.id(), script);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = ScriptOutcome.skip("interrupted");
            }
            heartbeat.touch();
            if (outcome.wakeAgent()) {
                ObjectNode content = ((ObjectNode) RowContent.parse(r.content())).deepCopy();
                content.set("scriptOutput", outcome.data() == null ? Json.MAPPER.nullNode() : outcome.data());
                kept.add(new InboundRow(r.id(), r.seq(), r.kind(), r.timestamp(), r.trigger(), r.platformId(),
                        r.channelType(), r.threadId(), content.toString()));
                Log.info("task-script", r.id() + ": wakes the agent");
            } else {
                Log.info("task-script", r.id() + ": agent not woken (" + outcome.reason() + ")");
                outbound.ack(List.of(r.id()), AckStatus.COMPLETED);
            }
        }
        return kept;
    }

    static String scriptOf(InboundRow r) {
        if (!MessageKind.TASK.equals(r.kind())) {
            return null;
        }
        JsonNode s = RowContent.parse(r.content()).get("script");
        return s != null && s.isTextual() && !s.asText().isBlank() ? s.asText() : null;
    }
}
