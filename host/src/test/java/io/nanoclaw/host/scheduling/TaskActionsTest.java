package io.nanoclaw.host.scheduling;

import static io.nanoclaw.host.scheduling.TestInbound.SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.delivery.SystemActionHandler;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduling system actions as an agent sends them (agent-runner.md 3.3): good requests become task rows, bad
 * ones become a one-line note to the agent, never an exception and never a row.
 */
class TaskActionsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestInbound db;
    final List<String> notes = new ArrayList<>();
    Map<String, SystemActionHandler> handlers;

    @BeforeEach
    void open() throws Exception {
        db = new TestInbound(dir, Instant.parse("2026-01-05T12:00:00Z"));
        TaskActions actions = new TaskActions(db.tasks(ZoneId.of("America/New_York")), (s, text) -> {
            assertEquals(SESSION, s);
            notes.add(text);
        });
        handlers = Stream.of(new TaskHandlers.ScheduleTask(actions), new TaskHandlers.CancelTask(actions),
                        new TaskHandlers.PauseTask(actions), new TaskHandlers.ResumeTask(actions),
                        new TaskHandlers.UpdateTask(actions))
                .collect(Collectors.toMap(SystemActionHandler::action, Function.identity()));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    /** What the runner's schedule_task tool writes. */
    private static ObjectNode scheduleTask() {
        return JSON.createObjectNode().put("action", "schedule_task").put("taskId", "task-1736085600000-ab12cd")
                .put("prompt", "Remind me to stretch").putNull("script").put("processAfter", "2026-01-06T14:00:00.000Z")
                .put("recurrence", "0 9 * * *").put("platformId", "local").put("channelType", "cli").putNull("threadId");
    }

    private void send(JsonNode content) throws Exception {
        handlers.get(content.get("action").asText()).handle(SESSION, content);
    }

    private static ObjectNode action(String name, String taskId) {
        return JSON.createObjectNode().put("action", name).put("taskId", taskId);
    }

    private void assertRefused(ObjectNode content, String expectedNote) throws Exception {
        int before = db.rows().size();
        notes.clear();
        send(content);
        assertEquals(1, notes.size(), "one note for " + content);
        assertTrue(notes.get(0).startsWith(expectedNote), notes.get(0));
        assertFalse(notes.get(0).contains("\n"), "notes are one line");
        assertEquals(before, db.rows().size(), "nothing written");
    }

    @Test
    void everySchedulingActionHasAHandler() {
        assertEquals(java.util.Set.of("schedule_task", "cancel_task", "pause_task", "resume_task", "update_task"),
                handlers.keySet());
    }

    @Test
    void aValidScheduleTaskBecomesATaskRowWithoutANote() throws Exception {
        send(scheduleTask());
        assertEquals(List.of(), notes);
        TestInbound.Row r = db.row("task-1736085600000-ab12cd");
        assertEquals("task-1736085600000-ab12cd", r.seriesId());
        assertEquals("2026-01-06T14:00:00Z", r.processAfter());
        assertEquals("0 9 * * *", r.recurrence());
        assertEquals(1, r.trigger());
        assertEquals(JSON.readTree("{\"prompt\":\"Remind me to stretch\",\"script\":null}"), JSON.readTree(r.content()));

        send(scheduleTask()); // delivery retried after the insert had committed
        assertEquals(List.of(), notes);
        assertEquals(1, db.rows().size());
    }

    @Test
    void anEmptyRecurrenceMeansOnce() throws Exception {
        send(scheduleTask().put("recurrence", "").put("script", ""));
        assertEquals(List.of(), notes);
        assertNull(db.rows().get(0).recurrence());
        assertTrue(JSON.readTree(db.rows().get(0).content()).get("script").isNull());
    }

    @Test
    void badScheduleRequestsAreExplainedToTheAgentAndWriteNothing() throws Exception {
        assertRefused(scheduleTask().put("recurrence", "0 25 * * *"),
                "schedule_task failed: invalid cron expression \"0 25 * * *\": Value 25 not in range [0, 23]");
        assertRefused(scheduleTask().put("recurrence", "every morning"),
                "schedule_task failed: invalid cron expression \"every morning\": expected 5 fields");
        assertRefused(scheduleTask().put("processAfter", "tomorrow at 9"),
                "schedule_task failed: invalid processAfter \"tomorrow at 9\"");
        assertRefused((ObjectNode) scheduleTask().remove(List.of("processAfter")),
                "schedule_task failed: processAfter is missing");
        assertRefused(scheduleTask().put("prompt", "x".repeat(TaskActions.MAX_PROMPT + 1)),
                "schedule_task failed: prompt is 20001 characters; the limit is 20000");
        assertRefused(scheduleTask().put("prompt", "  "), "schedule_task failed: prompt is missing or empty");
        assertRefused(scheduleTask().put("script", "y".repeat(TaskActions.MAX_SCRIPT + 1)),
                "schedule_task failed: script is 20001 characters");
        assertRefused(scheduleTask().put("taskId", "../../etc/passwd"), "schedule_task failed: invalid taskId");
        assertRefused(scheduleTask().put("taskId", "a\nb"), "schedule_task failed: invalid taskId \"a b\"");
        assertRefused(scheduleTask().put("taskId", "t".repeat(129)), "schedule_task failed: invalid taskId");
        assertRefused(scheduleTask().put("taskId", 42), "schedule_task failed: taskId must be a string");
        assertRefused((ObjectNode) scheduleTask().remove(List.of("taskId")), "schedule_task failed: taskId is missing");
        assertRefused(scheduleTask().put("platformId", "p".repeat(TaskActions.MAX_ADDRESS + 1)),
                "schedule_task failed: platformId is longer than 512 characters");
        assertRefused((ObjectNode) scheduleTask().set("recurrence", JSON.createArrayNode()),
                "schedule_task failed: recurrence must be a string");

        // A valid 128-character id with every allowed character class is accepted.
        notes.clear();
        send(scheduleTask().put("taskId", ("Az09._:-").repeat(16)));
        assertEquals(List.of(), notes);
    }

    @Test
    void aTaskIdTakenByAnotherTaskIsRefused() throws Exception {
        send(scheduleTask());
        assertRefused(scheduleTask().put("prompt", "something else"),
                "schedule_task failed: task id \"task-1736085600000-ab12cd\" is already used by another task");
    }

    @Test
    void updateTaskMergesClearsAndTellsTheAgentWhenNothingMatched() throws Exception {
        send(scheduleTask().put("script", "echo hi"));
        String id = "task-1736085600000-ab12cd";

        send(action("update_task", id).put("prompt", "Stretch and drink water"));
        assertEquals(List.of(), notes);
        assertEquals("echo hi", JSON.readTree(db.row(id).content()).get("script").asText());

        send(action("update_task", id).put("recurrence", "").putNull("script"));
        assertNull(db.row(id).recurrence());
        assertTrue(JSON.readTree(db.row(id).content()).get("script").isNull());

        send(action("update_task", id).putNull("recurrence").put("processAfter", "2026-01-08T10:00:00+01:00"));
        assertEquals("2026-01-08T09:00:00Z", db.row(id).processAfter());
        assertEquals(List.of(), notes);

        assertRefused(action("update_task", "task-gone").put("prompt", "x"),
                "update_task: no pending or paused task \"task-gone\"; nothing was updated");
        assertRefused(action("update_task", id), "update_task failed: nothing to change");
        assertRefused(action("update_task", id).put("recurrence", "61 * * * *"),
                "update_task failed: invalid cron expression \"61 * * * *\"");
        assertRefused(action("update_task", id).put("processAfter", "soon"),
                "update_task failed: invalid processAfter \"soon\"");
        assertRefused(action("update_task", id).put("prompt", "x".repeat(TaskActions.MAX_PROMPT + 1)),
                "update_task failed: prompt is 20001 characters");
        assertEquals("Stretch and drink water", JSON.readTree(db.row(id).content()).get("prompt").asText());
    }

    @Test
    void cancelPauseAndResumeWorkAndTellTheAgentWhenThereIsNothingToDo() throws Exception {
        send(scheduleTask());
        String id = "task-1736085600000-ab12cd";

        send(action("pause_task", id));
        assertEquals("paused", db.row(id).status());
        send(action("resume_task", id));
        assertEquals("pending", db.row(id).status());
        send(action("cancel_task", id));
        assertEquals("completed", db.row(id).status());
        assertNull(db.row(id).recurrence());
        assertEquals(List.of(), notes);

        assertRefused(action("cancel_task", id), "cancel_task: no pending or paused task \"" + id + "\"");
        assertRefused(action("pause_task", id), "pause_task: no pending task");
        assertRefused(action("resume_task", id), "resume_task: no paused task");
        assertRefused(action("cancel_task", "bad id"), "cancel_task failed: invalid taskId \"bad id\"");
        assertRefused(JSON.createObjectNode().put("action", "pause_task"), "pause_task failed: taskId is missing");
    }
}
