package io.nanoclaw.host.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.delivery.AgentNotes;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.protocol.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The scheduling system actions an agent sends (host.md 6.1, agent-runner.md 3.3). Their content comes from the
 * untrusted container, so every field is checked. A refused request never throws (delivery would retry the same bad
 * input three times): the agent gets a one-line note saying what to fix, and nothing is written. Database errors do
 * throw, so delivery retries them.
 */
@Singleton
public class TaskActions {
    private static final Logger LOG = Logger.getLogger(TaskActions.class);
    static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final int MAX_PROMPT = 20_000;
    /** Not in the original; the script is as untrusted as the prompt, so it gets the same bound. */
    static final int MAX_SCRIPT = 20_000;
    /** Platform ids, channel types and thread ids are short on every platform. */
    static final int MAX_ADDRESS = 512;

    private final Tasks tasks;
    private final BiConsumer<Session, String> tell;

    @Inject
    TaskActions(Tasks tasks, AgentNotes notes) {
        this(tasks, notes::tellAndWake);
    }

    TaskActions(Tasks tasks, BiConsumer<Session, String> tell) {
        this.tasks = tasks;
        this.tell = tell;
    }

    /** Input the agent has to fix; the message is what the agent is told. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code {taskId, prompt, script?, processAfter, recurrence?, platformId, channelType, threadId}}. */
    public void schedule(Session s, JsonNode c) {
        String action = "schedule_task";
        try {
            String taskId = taskId(c);
            NewTask t = new NewTask(taskId, prompt(c), script(c.get("script")),
                    time(c.get("processAfter"), true), recurrence(c.get("recurrence")),
                    address(c, "platformId"), address(c, "channelType"), address(c, "threadId"));
            switch (tasks.schedule(s, t)) {
                case INSERTED -> LOG.infof("session %s: task %s scheduled for %s%s", s.id(), taskId,
                        Timestamps.iso(t.processAfter()), t.recurrence() == null ? "" : ", recurring " + t.recurrence());
                case ALREADY_SCHEDULED -> LOG.debugf("session %s: task %s was already scheduled", s.id(), taskId);
                case ID_IN_USE -> throw new Refused("task id " + TaskText.quote(taskId)
                        + " is already used by another task; schedule it under a new id");
            }
        } catch (Refused r) {
            refuse(s, action, r);
        }
    }

    /** {@code {taskId}}: live rows become completed and the series stops recurring. */
    public void cancel(Session s, JsonNode c) {
        onTask(s, c, "cancel_task", tasks::cancel, "no pending or paused task %s; nothing was cancelled");
    }

    /** {@code {taskId}}: pending → paused. */
    public void pause(Session s, JsonNode c) {
        onTask(s, c, "pause_task", tasks::pause,
                "no pending task %s; nothing was paused (it may be paused already, finished or cancelled)");
    }

    /** {@code {taskId}}: paused → pending. */
    public void resume(Session s, JsonNode c) {
        onTask(s, c, "resume_task", tasks::resume, "no paused task %s; nothing was resumed");
    }

    /**
     * {@code {taskId, prompt?, script?, processAfter?, recurrence?}}: absent fields stay as they are; a null or
     * empty script or recurrence clears it.
     */
    public void update(Session s, JsonNode c) {
        String action = "update_task";
        try {
            String taskId = taskId(c);
            TaskUpdate u = TaskUpdate.none();
            if (present(c, "prompt")) {
                u = u.withPrompt(prompt(c));
            }
            if (present(c, "processAfter")) {
                u = u.withProcessAfter(time(c.get("processAfter"), true));
            }
            if (c.has("script")) {
                u = u.withScript(script(c.get("script")));
            }
            if (c.has("recurrence")) {
                u = u.withRecurrence(recurrence(c.get("recurrence")));
            }
            if (u.isEmpty()) {
                throw new Refused("nothing to change; give prompt, script, processAfter or recurrence");
            }
            int n = tasks.update(s, taskId, u);
            if (n == 0) {
                tell.accept(s, action + ": no pending or paused task " + TaskText.quote(taskId)
                        + "; nothing was updated");
            } else {
                LOG.infof("session %s: task %s updated (%d row%s)", s.id(), taskId, n, n == 1 ? "" : "s");
            }
        } catch (Refused r) {
            refuse(s, action, r);
        }
    }

    @FunctionalInterface
    private interface TaskOp {
        int apply(Session s, String taskId);
    }

    private void onTask(Session s, JsonNode c, String action, TaskOp op, String noMatch) {
        try {
            String taskId = taskId(c);
            int n = op.apply(s, taskId);
            if (n == 0) {
                tell.accept(s, action + ": " + String.format(noMatch, TaskText.quote(taskId)));
            } else {
                LOG.infof("session %s: %s %s", s.id(), action, taskId);
            }
        } catch (Refused r) {
            refuse(s, action, r);
        }
    }

    private void refuse(Session s, String action, Refused r) {
        LOG.infof("session %s: %s refused: %s", s.id(), action, r.getMessage());
        tell.accept(s, action + " failed: " + r.getMessage());
    }

    private static boolean present(JsonNode c, String field) {
        return c.has(field) && !c.get(field).isNull();
    }

    private static String taskId(JsonNode c) throws Refused {
        String id = text(c.get("taskId"), "taskId");
        if (id == null) {
            throw new Refused("taskId is missing");
        }
        if (!TASK_ID.matcher(id).matches()) {
            throw new Refused("invalid taskId " + TaskText.quote(id)
                    + ": use 1 to 128 letters, digits, '.', '_', ':' or '-'");
        }
        return id;
    }

    private static String prompt(JsonNode c) throws Refused {
        String p = text(c.get("prompt"), "prompt");
        if (p == null || p.isBlank()) {
            throw new Refused("prompt is missing or empty");
        }
        if (p.length() > MAX_PROMPT) {
            throw new Refused("prompt is " + p.length() + " characters; the limit is " + MAX_PROMPT);
        }
        return p;
    }

    /** null or "" means no script. */
    private static String script(JsonNode n) throws Refused {
        String sc = text(n, "script");
        if (sc == null || sc.isEmpty()) {
            return null;
        }
        if (sc.length() > MAX_SCRIPT) {
            throw new Refused("script is " + sc.length() + " characters; the limit is " + MAX_SCRIPT);
        }
        return sc;
    }

    private static Instant time(JsonNode n, boolean required) throws Refused {
        String v = text(n, "processAfter");
        if (v == null) {
            if (required) {
                throw new Refused("processAfter is missing");
            }
            return null;
        }
        Instant t = Timestamps.parseUtc(v);
        if (t == null) {
            throw new Refused("invalid processAfter " + TaskText.quote(v)
                    + ": expected an ISO-8601 UTC time such as 2026-03-08T14:00:00.000Z");
        }
        return t;
    }

    /** null or blank means no recurrence; anything else must be a valid 5-field cron. */
    private static String recurrence(JsonNode n) throws Refused {
        String r = text(n, "recurrence");
        if (r == null || r.isBlank()) {
            return null;
        }
        try {
            return CronSchedule.validate(r);
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
    }

    private static String address(JsonNode c, String field) throws Refused {
        String v = text(c.get(field), field);
        if (v != null && v.length() > MAX_ADDRESS) {
            throw new Refused(field + " is longer than " + MAX_ADDRESS + " characters");
        }
        return v;
    }

    /** A string field; null when absent or JSON null; refused when it is another JSON type. */
    private static String text(JsonNode n, String field) throws Refused {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new Refused(field + " must be a string");
        }
        return n.asText();
    }
}
