package io.nanoclaw.host.scheduling;

import java.time.Instant;

/**
 * A task to schedule, already validated. {@code script} and {@code recurrence} may be null; the routing fields are
 * the reply address the task's run will use (null when the agent gave none).
 */
public record NewTask(String taskId, String prompt, String script, Instant processAfter, String recurrence,
                      String platformId, String channelType, String threadId) {}
