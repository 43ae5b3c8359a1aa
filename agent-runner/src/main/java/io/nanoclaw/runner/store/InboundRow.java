package io.nanoclaw.runner.store;

/**
 * One messages_in row, as far as the runner reads it. The content stays the raw JSON text: only the formatter
 * and the command check look inside it.
 *
 * @param seq null when the host wrote none (the formatter then omits the id attribute)
 */
public record InboundRow(
        String id,
        Long seq,
        String kind,
        String timestamp,
        boolean trigger,
        String platformId,
        String channelType,
        String threadId,
        String content) {

    public Routing routing() {
        return new Routing(platformId, channelType, threadId);
    }
}
