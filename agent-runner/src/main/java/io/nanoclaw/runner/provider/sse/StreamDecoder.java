package io.nanoclaw.runner.provider.sse;

import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ProviderException;
import java.io.IOException;
import java.io.InputStream;

/** Feeds a streamed answer to its accumulator, event by event, telling the caller of each (the heartbeat). */
public final class StreamDecoder {
    private StreamDecoder() {}

    public static ModelReply decode(InputStream in, StreamAccumulator acc, Runnable onEvent) throws ProviderException {
        try (SseReader sse = new SseReader(in)) {
            SseEvent event;
            while ((event = sse.next()) != null) {
                onEvent.run();
                if (!acc.finished()) {
                    acc.accept(event);
                }
                // after the end event the server ends the body at once; reading to the end lets the connection
                // go back to the pool instead of being torn down
            }
        } catch (IOException e) {
            if (!acc.finished()) {
                throw new ProviderException("the model stream broke off (" + Log.describe(e) + ")", e);
            }
        }
        return acc.reply();
    }
}
