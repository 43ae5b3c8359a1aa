package io.nanoclaw.runner.liveness;

import io.nanoclaw.runner.log.Log;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * /workspace/.heartbeat: the host's sweep kills a container whose heartbeat is too old, so the runner touches it
 * while it works (never while idle: an idle container is supposed to age out). {@link #pulse()} is the cheap,
 * throttled form for per-event calls.
 */
public final class Heartbeat {
    private static final long PULSE_INTERVAL_NANOS = 250_000_000L;

    private final Path file;
    private volatile long lastTouchNanos = System.nanoTime() - PULSE_INTERVAL_NANOS;
    private volatile boolean warned;

    public Heartbeat(Path file) {
        this.file = file;
    }

    /** Touches now (batch start and end). */
    public void touch() {
        lastTouchNanos = System.nanoTime();
        FileTime now = FileTime.from(Instant.now());
        try {
            try {
                Files.setLastModifiedTime(file, now);
            } catch (NoSuchFileException e) {
                try {
                    Files.createFile(file);
                } catch (FileAlreadyExistsException raced) {
                    // created in between: fine
                }
                Files.setLastModifiedTime(file, now);
            }
        } catch (IOException e) {
            if (!warned) {
                warned = true; // once: a read-only workspace would otherwise flood the log
                Log.warn("heartbeat", "cannot touch " + file + ": " + Log.describe(e));
            }
        }
    }

    /** Touches at most every 250 ms (stream events, retry waits). */
    public void pulse() {
        if (System.nanoTime() - lastTouchNanos >= PULSE_INTERVAL_NANOS) {
            touch();
        }
    }
}
