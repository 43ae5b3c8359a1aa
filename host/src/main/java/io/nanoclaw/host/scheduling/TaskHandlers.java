package io.nanoclaw.host.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.delivery.SystemActionHandler;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The five scheduling system actions (host.md 6.1), each a handler bean over {@link TaskActions}. */
public final class TaskHandlers {
    private TaskHandlers() {}

    @Singleton
    public static class ScheduleTask implements SystemActionHandler {
        private final TaskActions actions;

        @Inject
        ScheduleTask(TaskActions actions) {
            this.actions = actions;
        }

        @Override
        public String action() {
            return "schedule_task";
        }

        @Override
        public void handle(Session session, JsonNode content) {
            actions.schedule(session, content);
        }
    }

    @Singleton
    public static class CancelTask implements SystemActionHandler {
        private final TaskActions actions;

        @Inject
        CancelTask(TaskActions actions) {
            this.actions = actions;
        }

        @Override
        public String action() {
            return "cancel_task";
        }

        @Override
        public void handle(Session session, JsonNode content) {
            actions.cancel(session, content);
        }
    }

    @Singleton
    public static class PauseTask implements SystemActionHandler {
        private final TaskActions actions;

        @Inject
        PauseTask(TaskActions actions) {
            this.actions = actions;
        }

        @Override
        public String action() {
            return "pause_task";
        }

        @Override
        public void handle(Session session, JsonNode content) {
            actions.pause(session, content);
        }
    }

    @Singleton
    public static class ResumeTask implements SystemActionHandler {
        private final TaskActions actions;

        @Inject
        ResumeTask(TaskActions actions) {
            this.actions = actions;
        }

        @Override
        public String action() {
            return "resume_task";
        }

        @Override
        public void handle(Session session, JsonNode content) {
            actions.resume(session, content);
        }
    }

    @Singleton
    public static class UpdateTask implements SystemActionHandler {
        private final TaskActions actions;

        @Inject
        UpdateTask(TaskActions actions) {
            this.actions = actions;
        }

        @Override
        public String action() {
            return "update_task";
        }

        @Override
        public void handle(Session session, JsonNode content) {
            actions.update(session, content);
        }
    }
}
