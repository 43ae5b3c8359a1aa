package io.nanoclaw.runner.tools.nanoclaw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.testing.SessionFixture.OutRow;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** schedule_task, list_tasks, update_task, cancel/pause/resume_task (agent-runner.md 3.3). */
class SchedulingToolsTest {
    @TempDir
    Path root;

    private ToolsFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new ToolsFixture(root);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void aNaiveTimeIsWallClockTimeInTheUsersZone() throws Exception {
        f.session.sessionRouting("telegram", "chat-1", "th-1");

        ToolResult r = f.run("schedule_task", "{\"prompt\":\"standup notes\",\"processAfter\":\"2026-01-15T09:00:00\","
                + "\"recurrence\":\"0 9 * * 1-5\"}");

        OutRow row = f.onlyRow();
        assertTrue(row.id().startsWith("task-"), row.id());
        assertEquals("Task scheduled (id: " + row.id() + ", runs at: 2026-01-15T14:00:00.000Z, recurrence: 0 9 * * 1-5)",
                r.text());
        assertEquals("system", row.kind());
        assertEquals("chat-1", row.platformId());
        assertEquals("telegram", row.channelType());
        assertEquals("th-1", row.threadId());
        assertNull(row.inReplyTo());
        assertEquals("{\"action\":\"schedule_task\",\"taskId\":\"" + row.id() + "\",\"prompt\":\"standup notes\","
                + "\"script\":null,\"processAfter\":\"2026-01-15T14:00:00.000Z\",\"recurrence\":\"0 9 * * 1-5\","
                + "\"platformId\":\"chat-1\",\"channelType\":\"telegram\",\"threadId\":\"th-1\"}",
                row.content().toString());
    }

    @Test
    void anExplicitOffsetPassesThroughAndNoRoutingGivesNulls() throws Exception {
        ToolResult r = f.run("schedule_task", "{\"prompt\":\"p\",\"processAfter\":\"2026-07-01T09:00:00+02:00\","
                + "\"script\":\"echo '{\\\"wakeAgent\\\":true}'\"}");

        OutRow row = f.onlyRow();
        assertEquals("Task scheduled (id: " + row.id() + ", runs at: 2026-07-01T07:00:00.000Z)", r.text());
        assertEquals("{\"action\":\"schedule_task\",\"taskId\":\"" + row.id() + "\",\"prompt\":\"p\","
                + "\"script\":\"echo '{\\\"wakeAgent\\\":true}'\",\"processAfter\":\"2026-07-01T07:00:00.000Z\","
                + "\"recurrence\":null,\"platformId\":null,\"channelType\":null,\"threadId\":null}",
                row.content().toString());
        assertNull(row.platformId());
    }

    @Test
    void badTimesAndCronsAreRefused() throws Exception {
        assertEquals("Error: invalid processAfter: tomorrow 9am",
                f.run("schedule_task", "{\"prompt\":\"p\",\"processAfter\":\"tomorrow 9am\"}").text());
        assertEquals("Error: prompt and processAfter are required",
                f.run("schedule_task", "{\"prompt\":\"p\"}").text());
        ToolResult cron = f.run("schedule_task",
                "{\"prompt\":\"p\",\"processAfter\":\"2026-01-15T09:00\",\"recurrence\":\"every day\"}");
        assertTrue(cron.text().startsWith("Error: invalid recurrence: \"every day\" is not a 5-field cron"),
                cron.text());
        ToolResult chars = f.run("schedule_task",
                "{\"prompt\":\"p\",\"processAfter\":\"2026-01-15T09:00\",\"recurrence\":\"0 9 * * $(id)\"}");
        assertTrue(chars.text().startsWith("Error: invalid recurrence: \"0 9 * * $(id)\": field"), chars.text());
        assertTrue(f.session.replies().isEmpty());
    }

    @Test
    void listsOneLinePerSeriesInDueOrder() throws Exception {
        // Series A fired once (completed) and has a live follow-up; B is paused; C is due now; D is done.
        f.session.row("task-a", 2).kind("task").status("completed").seriesId("task-a").recurrence(null)
                .processAfter("2026-01-14T14:00:00.000Z").content("{\"prompt\":\"old run\"}").insert();
        f.session.row("task-a-2", 4).kind("task").seriesId("task-a").recurrence("0 9 * * *")
                .processAfter("2026-01-15T14:00:00.000Z").content("{\"prompt\":\"water the plants\"}").insert();
        f.session.row("task-b", 6).kind("task").status("paused").seriesId("task-b")
                .processAfter("2026-01-16T10:00:00.000Z").content("{\"prompt\":\"" + "x".repeat(100) + "\"}").insert();
        f.session.row("task-c", 8).kind("task").seriesId("task-c").content("{\"prompt\":\"now\",\"script\":null}")
                .insert();
        f.session.row("task-d", 10).kind("task").status("completed").seriesId("task-d")
                .content("{\"prompt\":\"done\"}").insert();

        ToolResult r = f.run("list_tasks", "{}");

        assertEquals("- task-c [pending] at=now → now\n"
                + "- task-a [pending] at=2026-01-15T14:00:00.000Z recur=0 9 * * * → water the plants\n"
                + "- task-b [paused] at=2026-01-16T10:00:00.000Z → " + "x".repeat(80), r.text());
        assertEquals("- task-b [paused] at=2026-01-16T10:00:00.000Z → " + "x".repeat(80),
                f.run("list_tasks", "{\"status\":\"paused\"}").text());
        assertTrue(f.session.replies().isEmpty(), "list_tasks writes nothing");
    }

    @Test
    void noTasks() throws Exception {
        assertEquals("No tasks found.", f.run("list_tasks", "{}").text());
    }

    @Test
    void updateSendsOnlyTheGivenFieldsAndEmptyClears() throws Exception {
        ToolResult r = f.run("update_task", "{\"taskId\":\"task-a\",\"prompt\":\"new\",\"processAfter\":"
                + "\"2026-01-15 09:30\",\"recurrence\":\"\",\"script\":\"\"}");

        assertEquals("Task update requested: task-a", r.text());
        OutRow row = f.onlyRow();
        assertTrue(row.id().startsWith("sys-"), row.id());
        assertEquals("system", row.kind());
        assertNull(row.platformId());
        assertNull(row.channelType());
        assertNull(row.threadId());
        assertEquals("{\"action\":\"update_task\",\"taskId\":\"task-a\",\"prompt\":\"new\","
                + "\"processAfter\":\"2026-01-15T14:30:00.000Z\",\"recurrence\":null,\"script\":null}",
                row.content().toString());
    }

    @Test
    void updateNeedsAField() throws Exception {
        assertEquals("Error: at least one field to update is required",
                f.run("update_task", "{\"taskId\":\"task-a\"}").text());
        assertEquals("Error: taskId is required", f.run("update_task", "{\"prompt\":\"x\"}").text());
        assertEquals("Error: invalid processAfter: soon",
                f.run("update_task", "{\"taskId\":\"t\",\"processAfter\":\"soon\"}").text());
    }

    @Test
    void cancelPauseAndResume() throws Exception {
        assertEquals("Task cancellation requested: task-a", f.run("cancel_task", "{\"taskId\":\"task-a\"}").text());
        assertEquals("Task pause requested: task-b", f.run("pause_task", "{\"taskId\":\"task-b\"}").text());
        assertEquals("Task resume requested: task-c", f.run("resume_task", "{\"taskId\":\"task-c\"}").text());
        assertEquals("Error: taskId is required", f.run("cancel_task", "{}").text());

        var rows = f.session.replies();
        assertEquals(3, rows.size());
        String[] actions = {"cancel_task", "pause_task", "resume_task"};
        String[] ids = {"task-a", "task-b", "task-c"};
        for (int i = 0; i < 3; i++) {
            OutRow row = rows.get(i);
            assertTrue(row.id().startsWith("sys-"), row.id());
            assertEquals("system", row.kind());
            assertNull(row.channelType());
            assertNull(row.platformId());
            assertNull(row.inReplyTo());
            assertEquals("{\"action\":\"" + actions[i] + "\",\"taskId\":\"" + ids[i] + "\"}",
                    row.content().toString());
        }
    }
}
