package io.nanoclaw.host.scheduling;

import static io.nanoclaw.host.scheduling.TestInbound.SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.scheduling.TestInbound.Row;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task rows in a real inbound.db: scheduling, the series operations, and recurrence (host.md 6.1, 7, 10 #67-70). */
class TasksTest {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final Instant NOW = Instant.parse("2026-01-05T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestInbound db;
    Tasks tasks;

    @BeforeEach
    void open() throws Exception {
        db = new TestInbound(dir, NOW);
        tasks = db.tasks(NEW_YORK);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private static NewTask task(String id, String at, String recurrence) {
        return new NewTask(id, "water the plants", null, Instant.parse(at), recurrence, "local", "cli", null);
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void aScheduledTaskIsAPendingTriggerRowWhoseSeriesIdIsItsId() throws Exception {
        assertEquals(Tasks.ScheduleOutcome.INSERTED, tasks.schedule(SESSION,
                new NewTask("task-1", "water the plants", "echo '{\"wakeAgent\":true}'",
                        Instant.parse("2026-01-06T14:00:00.000Z"), "0 9 * * *", "local", "cli", "t-1")));
        Row r = db.row("task-1");
        assertEquals("task-1", r.seriesId());
        assertEquals("task", r.kind());
        assertEquals("pending", r.status());
        assertEquals(1, r.trigger());
        assertEquals("2026-01-06T14:00:00Z", r.processAfter());
        assertEquals("0 9 * * *", r.recurrence());
        assertEquals("local", r.platformId());
        assertEquals("cli", r.channelType());
        assertEquals("t-1", r.threadId());
        assertEquals(json("{\"prompt\":\"water the plants\",\"script\":\"echo '{\\\"wakeAgent\\\":true}'\"}"),
                json(r.content()));
        assertEquals(0, r.seq() % 2, "host rows have even seqs");
    }

    @Test
    void aScriptlessTaskStoresAnExplicitNullScript() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-01-06T14:00:00Z", null));
        JsonNode content = json(db.row("task-1").content());
        assertTrue(content.has("script") && content.get("script").isNull());
        assertNull(db.row("task-1").recurrence());
    }

    @Test
    void schedulingTheSameTaskTwiceIsOneRowButAnotherTaskCannotTakeItsId() throws Exception {
        NewTask t = task("task-1", "2026-01-06T14:00:00Z", null);
        assertEquals(Tasks.ScheduleOutcome.INSERTED, tasks.schedule(SESSION, t));
        assertEquals(Tasks.ScheduleOutcome.ALREADY_SCHEDULED, tasks.schedule(SESSION, t));
        assertEquals(Tasks.ScheduleOutcome.ID_IN_USE,
                tasks.schedule(SESSION, task("task-1", "2026-02-01T00:00:00Z", null)));
        assertEquals(1, db.rows().size());
    }

    @Test
    void cancelPauseAndResumeReachEveryLiveRowOfTheSeries() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-01-05T14:00:00Z", "0 9 * * *"));
        db.finish("task-1", "completed");
        db.clock.set(Instant.parse("2026-01-05T14:01:00Z"));
        assertEquals(1, tasks.recur(SESSION));
        String clone = db.rows().get(1).id();
        assertTrue(!clone.equals("task-1") && db.row(clone).seriesId().equals("task-1"));

        // The clone has another id; the series id reaches it.
        assertEquals(1, tasks.pause(SESSION, "task-1"));
        assertEquals("paused", db.row(clone).status());
        assertEquals("completed", db.row("task-1").status(), "a finished run is not live");
        assertEquals(0, tasks.pause(SESSION, "task-1"), "already paused");

        assertEquals(1, tasks.resume(SESSION, "task-1"));
        assertEquals("pending", db.row(clone).status());
        assertEquals(0, tasks.resume(SESSION, "task-1"), "nothing paused");

        // The clone's own id works too.
        assertEquals(1, tasks.pause(SESSION, clone));
        assertEquals(1, tasks.cancel(SESSION, "task-1"));
        assertEquals("completed", db.row(clone).status());
        assertNull(db.row(clone).recurrence());
        assertEquals(0, tasks.cancel(SESSION, "task-1"));
        assertEquals(0, tasks.cancel(SESSION, "no-such-task"));

        db.clock.set(Instant.parse("2026-01-10T00:00:00Z"));
        assertEquals(0, tasks.recur(SESSION), "a cancelled series never comes back");
        assertEquals(2, db.rows().size());
    }

    @Test
    void cancellingRightAfterARunEndsTheSeriesBeforeItIsCloned() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-01-05T14:00:00Z", "0 9 * * *"));
        db.finish("task-1", "completed"); // the run finished; the recurrence step has not run yet
        assertEquals(1, tasks.cancel(SESSION, "task-1"));
        assertNull(db.row("task-1").recurrence());
        assertEquals(0, tasks.recur(SESSION));
        assertEquals(1, db.rows().size());
    }

    @Test
    void pausingRightAfterARunPausesTheNextOccurrence() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-01-05T14:00:00Z", "0 9 * * *"));
        db.finish("task-1", "completed");
        db.clock.set(Instant.parse("2026-01-05T14:01:00Z"));
        assertEquals(1, tasks.pause(SESSION, "task-1"));
        List<Row> rows = db.rows();
        assertEquals(2, rows.size());
        assertEquals("paused", rows.get(1).status());
        assertEquals("2026-01-06T14:00:00Z", rows.get(1).processAfter());
        assertEquals(0, tasks.recur(SESSION), "paused rows are never cloned");
    }

    @Test
    void updateMergesIntoLiveRowsClearsWithNullAndReturnsZeroWithoutAMatch() throws Exception {
        tasks.schedule(SESSION, new NewTask("task-1", "old prompt", "echo hi", Instant.parse("2026-01-06T14:00:00Z"),
                "0 9 * * *", "local", "cli", null));

        assertEquals(1, tasks.update(SESSION, "task-1", TaskUpdate.none().withPrompt("new prompt")));
        Row r = db.row("task-1");
        assertEquals(json("{\"prompt\":\"new prompt\",\"script\":\"echo hi\"}"), json(r.content()), "script kept");
        assertEquals("0 9 * * *", r.recurrence());
        assertEquals("2026-01-06T14:00:00Z", r.processAfter());

        assertEquals(1, tasks.update(SESSION, "task-1", TaskUpdate.none().withScript(null).withRecurrence(null)
                .withProcessAfter(Instant.parse("2026-01-07T15:30:00Z"))));
        r = db.row("task-1");
        assertEquals(json("{\"prompt\":\"new prompt\",\"script\":null}"), json(r.content()));
        assertNull(r.recurrence());
        assertEquals("2026-01-07T15:30:00Z", r.processAfter());

        assertEquals(1, tasks.update(SESSION, "task-1", TaskUpdate.none().withRecurrence("30 8 * * 1-5")));
        assertEquals("30 8 * * 1-5", db.row("task-1").recurrence());

        assertEquals(0, tasks.update(SESSION, "no-such-task", TaskUpdate.none().withPrompt("x")));
        db.finish("task-1", "completed");
        db.c.createStatement().executeUpdate("UPDATE messages_in SET recurrence = NULL");
        assertEquals(0, tasks.update(SESSION, "task-1", TaskUpdate.none().withPrompt("x")), "finished rows are not live");
        assertEquals(json("{\"prompt\":\"new prompt\",\"script\":null}"), json(db.row("task-1").content()));
    }

    @Test
    void updateRightAfterARunChangesTheNextOccurrence() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-01-05T14:00:00Z", "0 9 * * *"));
        db.finish("task-1", "completed");
        db.clock.set(Instant.parse("2026-01-05T14:01:00Z"));
        assertEquals(1, tasks.update(SESSION, "task-1", TaskUpdate.none().withPrompt("feed the cat")));
        Row next = db.rows().get(1);
        assertEquals("feed the cat", json(next.content()).get("prompt").asText());
        assertEquals("water the plants", json(db.row("task-1").content()).get("prompt").asText(), "history kept");
    }

    @Test
    void recurrenceClonesIntoTheFutureClearsTheOriginalAndKeepsTheSeries() throws Exception {
        tasks.schedule(SESSION, new NewTask("task-1", "standup", "echo go", Instant.parse("2026-01-05T14:00:00Z"),
                "0 9 * * *", "C123", "slack", "th-9"));
        assertEquals(0, tasks.recur(SESSION), "a pending row is not cloned");
        db.finish("task-1", "completed");
        db.clock.set(Instant.parse("2026-01-05T14:00:40Z"));

        assertEquals(1, tasks.recur(SESSION));
        List<Row> rows = db.rows();
        assertEquals(2, rows.size());
        Row original = rows.get(0);
        Row clone = rows.get(1);
        assertNull(original.recurrence());
        assertEquals("completed", original.status());
        assertEquals("task-1-" + Instant.parse("2026-01-06T14:00:00Z").toEpochMilli(), clone.id());
        assertEquals("task-1", clone.seriesId());
        assertEquals("pending", clone.status());
        assertEquals("task", clone.kind());
        assertEquals(1, clone.trigger());
        assertEquals("2026-01-06T14:00:00Z", clone.processAfter());
        assertEquals("0 9 * * *", clone.recurrence());
        assertEquals(original.content(), clone.content());
        assertEquals(List.of("C123", "slack", "th-9"),
                List.of(clone.platformId(), clone.channelType(), clone.threadId()));
        assertTrue(clone.seq() > original.seq() && clone.seq() % 2 == 0);

        assertEquals(0, tasks.recur(SESSION), "the original is cloned once");

        // The clone runs, and the series goes on from it.
        db.finish(clone.id(), "completed");
        db.clock.set(Instant.parse("2026-01-06T14:02:00Z"));
        assertEquals(1, tasks.recur(SESSION));
        Row third = db.rows().get(2);
        assertEquals("task-1", third.seriesId());
        assertEquals("2026-01-07T14:00:00Z", third.processAfter());
        assertNull(db.row(clone.id()).recurrence());
    }

    @Test
    void aFailedRunStillRecurs() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-01-05T14:00:00Z", "0 9 * * *"));
        db.finish("task-1", "failed");
        assertEquals(1, tasks.recur(SESSION));
        assertEquals("failed", db.row("task-1").status(), "the failure stays recorded");
        assertEquals("pending", db.rows().get(1).status());
    }

    @Test
    void pausedRowsAreNeverCloned() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-01-05T14:00:00Z", "0 9 * * *"));
        tasks.pause(SESSION, "task-1");
        db.clock.set(Instant.parse("2026-02-01T00:00:00Z"));
        assertEquals(0, tasks.recur(SESSION));
        assertEquals(1, db.rows().size());
    }

    @Test
    void runsMissedWhileTheHostWasDownAreSkippedNotReplayed() throws Exception {
        // Scheduled for 09:00 three days ago; it ran, and the host then stayed down until now.
        tasks.schedule(SESSION, task("task-1", "2026-01-02T14:00:00Z", "0 9 * * *"));
        db.finish("task-1", "completed");
        db.clock.set(Instant.parse("2026-01-05T16:00:00Z")); // 11:00 in New York

        assertEquals(1, tasks.recur(SESSION));
        assertEquals(0, tasks.recur(SESSION));
        List<Row> rows = db.rows();
        assertEquals(2, rows.size(), "exactly one clone, not one per missed day");
        assertEquals("2026-01-06T14:00:00Z", rows.get(1).processAfter(), "the next 09:00 after now");
    }

    @Test
    void theCloneOfADailyTaskFollowsTheMarchChange() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-03-07T14:00:00Z", "0 9 * * *"));
        db.finish("task-1", "completed");
        db.clock.set(Instant.parse("2026-03-07T14:00:30Z"));
        tasks.recur(SESSION);
        assertEquals("2026-03-08T13:00:00Z", db.rows().get(1).processAfter(), "09:00 EDT");
    }

    @Test
    void recurrenceIsComputedInTheUsersZoneWhateverTheJvmZone() throws Exception {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Auckland"));
            tasks.schedule(SESSION, task("task-1", "2026-10-31T13:00:00Z", "0 9 * * *"));
            db.finish("task-1", "completed");
            db.clock.set(Instant.parse("2026-10-31T13:05:00Z"));
            tasks.recur(SESSION);
            assertEquals("2026-11-01T14:00:00Z", db.rows().get(1).processAfter(), "09:00 EST, the day after EDT");
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void resumingARecurringTaskWhoseTimePassedMovesItToTheNextRun() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-01-05T14:00:00Z", "0 9 * * *"));
        tasks.schedule(SESSION, task("once", "2026-01-05T14:00:00Z", null));
        tasks.pause(SESSION, "task-1");
        tasks.pause(SESSION, "once");
        db.clock.set(Instant.parse("2026-01-09T20:00:00Z"));
        assertEquals(1, tasks.resume(SESSION, "task-1"));
        assertEquals(1, tasks.resume(SESSION, "once"));
        assertEquals("2026-01-10T14:00:00Z", db.row("task-1").processAfter(), "missed runs skipped");
        assertEquals("2026-01-05T14:00:00Z", db.row("once").processAfter(), "a one-off runs at once");
    }

    @Test
    void aStoredRecurrenceThatNoLongerParsesEndsTheSeriesQuietly() throws Exception {
        tasks.schedule(SESSION, task("task-1", "2026-01-05T14:00:00Z", null));
        db.c.createStatement().executeUpdate("UPDATE messages_in SET recurrence = 'every day', status = 'completed'");
        assertEquals(0, tasks.recur(SESSION));
        assertNull(db.row("task-1").recurrence(), "cleared, so it is not retried every minute");
        assertEquals(1, db.rows().size());
    }
}
