package io.nanoclaw.runner.provider.sse;

import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ProviderException;

/** Builds one model reply from a provider's event stream. */
public interface StreamAccumulator {
    void accept(SseEvent event) throws ProviderException;

    /** Whether the stream's end event arrived (later events are ignored; a break after it is harmless). */
    boolean finished();

    ModelReply reply() throws ProviderException;
}
