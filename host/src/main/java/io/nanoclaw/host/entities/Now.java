package io.nanoclaw.host.entities;

import io.nanoclaw.protocol.Timestamps;
import java.time.Instant;

/** The central DB stores instants as ISO-8601 UTC strings. */
public final class Now {
    private Now() {}

    public static String iso() {
        return Timestamps.iso(Instant.now());
    }
}
