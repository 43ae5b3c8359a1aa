package io.nanoclaw.host.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.protocol.Seq;
import io.nanoclaw.protocol.SessionDb;
import io.nanoclaw.protocol.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Scheduled tasks (host.md 6.1 and 7): {@code messages_in} rows with kind 'task', id = series_id = task id,
 * content {@code {prompt, script}}, and a cron {@code recurrence} on the series' current row. Every write is one
 * {@code BEGIN IMMEDIATE} transaction on the session's inbound.db, which only the host writes. A task's "live" rows
 * are its pending or paused ones; an operation on a task id reaches the row with that id and every row of that
 * series.
 */
@Singleton
public class Tasks {
    private static final Logger LOG = Logger.getLogger(Tasks.class);
    private static final String IN_SERIES = "(id = ? OR series_id = ?)";
    private static final String LIVE = "status IN ('pending', 'paused')";
    /** Finished runs whose series goes on: failed ones too, so one failed run does not end a daily reminder. */
    private static final String RECURS = "status IN ('completed', 'failed') AND recurrence IS NOT NULL";

    public enum ScheduleOutcome {
        INSERTED,
        /** The same task was already there: a delivery retried after the first insert had committed. */
        ALREADY_SCHEDULED,
        /** Another task holds this id or series. */
        ID_IN_USE
    }

    private final InboundAccess db;
    private final ZoneId zone;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    Tasks(SessionDbs dbs, HostConfig config) {
        this(new InboundAccess() {
            @Override
            public <T> T withInbound(Session s, SessionDbs.Work<T> work) {
                return dbs.withInbound(s.agentGroupId(), s.id(), work);
            }
        }, config.timeZone(), Clock.systemUTC());
    }

    Tasks(InboundAccess db, ZoneId zone, Clock clock) {
        this.db = db;
        this.zone = zone;
        this.clock = clock;
    }

    /** The user's zone, in which recurrences are read. */
    public ZoneId zone() {
        return zone;
    }

    /** Inserts a pending task row with trigger=1; the sweep wakes the session once it is due. */
    public ScheduleOutcome schedule(Session s, NewTask t) {
        String content = content(t.prompt(), t.script());
        String at = Timestamps.iso(t.processAfter());
        return db.withInbound(s, c -> SessionDb.inImmediateTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT content, process_after FROM messages_in WHERE id = ?")) {
                ps.setString(1, t.taskId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        boolean same = content.equals(rs.getString(1)) && at.equals(rs.getString(2));
                        return same ? ScheduleOutcome.ALREADY_SCHEDULED : ScheduleOutcome.ID_IN_USE;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM messages_in WHERE series_id = ?")) {
                ps.setString(1, t.taskId());
                if (ps.executeQuery().next()) {
                    return ScheduleOutcome.ID_IN_USE;
                }
            }
            long seq = Seq.nextHostSeq(SessionDb.maxSeq(c, "messages_in"));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages_in(id, seq, kind, timestamp, status, "
                    + "process_after, recurrence, series_id, tries, trigger, platform_id, channel_type, thread_id, "
                    + "content, source_session_id, on_wake) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, 0, 1, ?, ?, ?, ?, "
                    + "NULL, 0)")) {
                ps.setString(1, t.taskId());
                ps.setLong(2, seq);
                ps.setString(3, MessageKind.TASK);
                ps.setString(4, Timestamps.iso(clock.instant()));
                ps.setString(5, at);
                ps.setString(6, t.recurrence());
                ps.setString(7, t.taskId());
                ps.setString(8, t.platformId());
                ps.setString(9, t.channelType());
                ps.setString(10, t.threadId());
                ps.setString(11, content);
                ps.executeUpdate();
            }
            return ScheduleOutcome.INSERTED;
        }));
    }

    /**
     * Ends a task: its live rows become completed without a recurrence, and a finished run whose next occurrence
     * has not been cloned yet loses its recurrence, so the series can't come back. Returns the rows changed.
     */
    public int cancel(Session s, String taskId) {
        return db.withInbound(s, c -> SessionDb.inImmediateTransaction(c, () -> {
            int n = update(c, "UPDATE messages_in SET status = 'completed', recurrence = NULL WHERE " + IN_SERIES
                    + " AND " + LIVE, taskId);
            return n + update(c, "UPDATE messages_in SET recurrence = NULL WHERE " + IN_SERIES + " AND " + RECURS,
                    taskId);
        }));
    }

    /** pending → paused. Returns the rows changed. */
    public int pause(Session s, String taskId) {
        return db.withInbound(s, c -> SessionDb.inImmediateTransaction(c, () -> {
            // A run that just finished may not have been cloned yet; clone it now so the pause reaches it.
            cloneRecurring(c, taskId);
            return update(c, "UPDATE messages_in SET status = 'paused' WHERE " + IN_SERIES
                    + " AND status = 'pending'", taskId);
        }));
    }

    /**
     * paused → pending. A recurring row whose time passed while paused moves to its next run from now (missed runs
     * are skipped, as after a host outage); a one-off row that came due while paused runs at once.
     */
    public int resume(Session s, String taskId) {
        Instant now = clock.instant();
        return db.withInbound(s, c -> SessionDb.inImmediateTransaction(c, () -> {
            List<String[]> paused = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, process_after, recurrence FROM messages_in "
                    + "WHERE " + IN_SERIES + " AND status = 'paused'")) {
                ps.setString(1, taskId);
                ps.setString(2, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        paused.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE messages_in SET status = 'pending', process_after = ? WHERE id = ?")) {
                for (String[] row : paused) {
                    String at = row[1];
                    Instant when = Timestamps.parseUtc(at);
                    if (row[2] != null && when != null && when.isBefore(now)) {
                        at = next(row[2], now, taskId).map(Timestamps::iso).orElse(at);
                    }
                    ps.setString(1, at);
                    ps.setString(2, row[0]);
                    ps.executeUpdate();
                }
            }
            return paused.size();
        }));
    }

    /**
     * Merges changes into the task's live rows. Returns the rows changed; 0 when the task has no live row (it
     * finished, was cancelled, or never existed).
     */
    public int update(Session s, String taskId, TaskUpdate u) {
        if (u.isEmpty()) {
            return 0;
        }
        return db.withInbound(s, c -> SessionDb.inImmediateTransaction(c, () -> {
            // As for pause: a just-finished run's next occurrence must exist before we can change it.
            cloneRecurring(c, taskId);
            List<String[]> live = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, content, process_after, recurrence FROM messages_in WHERE " + IN_SERIES + " AND "
                            + LIVE)) {
                ps.setString(1, taskId);
                ps.setString(2, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        live.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE messages_in SET content = ?, process_after = ?, recurrence = ? WHERE id = ?")) {
                for (String[] row : live) {
                    ObjectNode content = object(row[1]);
                    if (u.prompt() != null) {
                        content.put("prompt", u.prompt());
                    }
                    if (u.changeScript()) {
                        content.put("script", u.script());
                    }
                    ps.setString(1, content.toString());
                    ps.setString(2, u.processAfter() != null ? Timestamps.iso(u.processAfter()) : row[2]);
                    ps.setString(3, u.changeRecurrence() ? u.recurrence() : row[3]);
                    ps.setString(4, row[0]);
                    ps.executeUpdate();
                }
            }
            return live.size();
        }));
    }

    /**
     * The recurrence step of the sweep (host.md 7) for one session: every finished row that still has a recurrence
     * gets a pending clone at the cron's next run after now, in the user's zone, and loses its recurrence, all in one
     * transaction, so a crash can't clone a row twice. Runs missed while the host was down are skipped. Returns the
     * number of clones.
     */
    public int recur(Session s) {
        return db.withInbound(s, c -> SessionDb.inImmediateTransaction(c, () -> cloneRecurring(c, null)));
    }

    /** Clones the finished recurring rows of one series, or of all series when taskId is null. */
    private int cloneRecurring(Connection c, String taskId) throws SQLException {
        Instant now = clock.instant();
        List<String[]> due = new ArrayList<>();
        String where = RECURS + (taskId == null ? "" : " AND " + IN_SERIES);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, COALESCE(series_id, id), recurrence FROM messages_in WHERE " + where + " ORDER BY seq")) {
            if (taskId != null) {
                ps.setString(1, taskId);
                ps.setString(2, taskId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        int clones = 0;
        for (String[] row : due) {
            String id = row[0];
            String series = row[1];
            Instant next = next(row[2], now, series).orElse(null);
            if (next != null) {
                long seq = Seq.nextHostSeq(SessionDb.maxSeq(c, "messages_in"));
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages_in(id, seq, kind, timestamp, "
                        + "status, process_after, recurrence, series_id, tries, trigger, platform_id, channel_type, "
                        + "thread_id, content, source_session_id, on_wake) SELECT ?, ?, kind, ?, 'pending', ?, "
                        + "recurrence, COALESCE(series_id, id), 0, trigger, platform_id, channel_type, thread_id, "
                        + "content, source_session_id, 0 FROM messages_in WHERE id = ?")) {
                    ps.setString(1, cloneId(c, series, next));
                    ps.setLong(2, seq);
                    ps.setString(3, Timestamps.iso(now));
                    ps.setString(4, Timestamps.iso(next));
                    ps.setString(5, id);
                    ps.executeUpdate();
                }
                clones++;
                LOG.debugf("task %s: next run at %s", series, next);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE messages_in SET recurrence = NULL WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
        return clones;
    }

    /** The next run, or empty (logged) for a stored recurrence that no longer parses: the series then ends. */
    private Optional<Instant> next(String recurrence, Instant now, String series) {
        try {
            return Optional.of(CronSchedule.nextAfter(recurrence, now, zone));
        } catch (IllegalArgumentException e) {
            LOG.warnf("task %s: %s; the task will not recur", series, e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code <series>-<epoch ms of the run>}: readable, and unique unless the same run was cloned before. */
    private static String cloneId(Connection c, String series, Instant next) throws SQLException {
        String id = series + "-" + next.toEpochMilli();
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM messages_in WHERE id = ?")) {
            ps.setString(1, id);
            if (ps.executeQuery().next()) {
                return MessageIds.next(series);
            }
        }
        return id;
    }

    private static int update(Connection c, String sql, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, taskId);
            ps.setString(2, taskId);
            return ps.executeUpdate();
        }
    }

    private String content(String prompt, String script) {
        return mapper.createObjectNode().put("prompt", prompt).put("script", script).toString();
    }

    /** A row's content as an object; anything else (never written by us) starts over as an empty object. */
    private ObjectNode object(String json) {
        try {
            JsonNode n = json == null ? null : mapper.readTree(json);
            return n instanceof ObjectNode o ? o : mapper.createObjectNode();
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }
}
