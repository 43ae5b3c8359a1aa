package io.nanoclaw.runner.store;

/**
 * The live occurrence of one scheduled task series, as list_tasks shows it.
 *
 * @param seriesId     the stable handle update/cancel/pause/resume take
 * @param processAfter null when the task is due now
 * @param content      the raw content JSON ({@code {prompt, script}})
 */
public record TaskRow(String seriesId, String status, String processAfter, String recurrence, String content) {
}
