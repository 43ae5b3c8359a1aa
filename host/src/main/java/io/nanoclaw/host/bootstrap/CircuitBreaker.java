package io.nanoclaw.host.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jboss.logging.Logger;

/**
 * Crash-loop brake (host.md 1.6). A host that dies right after starting (bad config, a channel that throws) and is
 * restarted by systemd or Docker would otherwise hammer the platforms and the model API. Each start records
 * {@code {attempt, timestamp}} in {@code data/circuit-breaker.json}; a start less than an hour after the previous
 * one counts up, and from the third attempt on the start waits (10 s up to 15 min). A graceful shutdown deletes the
 * file, so only unclean exits count.
 */
public final class CircuitBreaker {
    private static final Logger LOG = Logger.getLogger(CircuitBreaker.class);
    public static final String FILE = "circuit-breaker.json";
    static final Duration WINDOW = Duration.ofHours(1);
    private static final Duration[] DELAYS = {Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(900)};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits; injected so tests don't. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** This start's attempt number and the wait it got. */
    public record Start(int attempt, Duration delay) {}

    private final Path file;
    private final Clock clock;
    private final Sleeper sleeper;

    public CircuitBreaker(Path dataDir) {
        this(dataDir, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    public CircuitBreaker(Path dataDir, Clock clock, Sleeper sleeper) {
        this.file = dataDir.resolve(FILE);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The wait before attempt n: 0, 0, 10 s, 30 s, 2 min, 5 min, then 15 min. */
    public static Duration delayFor(int attempt) {
        return DELAYS[Math.min(Math.max(attempt, 1), DELAYS.length) - 1];
    }

    /**
     * Records this start and waits as long as the attempt number asks. Never throws: a breaker that can't write its
     * file must not be the reason the host doesn't start.
     */
    public Start onStart() {
        Instant now = clock.instant();
        int attempt = 1;
        State prev = read();
        if (prev != null && Duration.between(prev.timestamp(), now).compareTo(WINDOW) < 0) {
            attempt = prev.attempt() + 1;
        }
        // Written before sleeping: a host killed during the wait still counts as this attempt next time.
        try {
            write(new State(attempt, now));
        } catch (IOException e) {
            LOG.warnf("cannot write %s: %s (crash-loop protection is off for this start)", file, e.getMessage());
        }
        Duration delay = delayFor(attempt);
        if (!delay.isZero()) {
            LOG.warnf("start attempt %d within an hour of the previous one: waiting %d s before starting "
                    + "(a crash loop?)", attempt, delay.toSeconds());
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutting down: let the caller see it
            }
        }
        return new Start(attempt, delay);
    }

    /** Graceful shutdown: the next start is a first attempt. */
    public void reset() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debugf("cannot delete %s: %s", file, e.getMessage());
        }
    }

    record State(int attempt, Instant timestamp) {}

    /** The previous start, or null when there is none or the file is malformed (both mean "first attempt"). */
    State read() {
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            if (n == null || !n.path("attempt").canConvertToInt() || !n.path("attempt").isIntegralNumber()
                    || !n.path("timestamp").isTextual()) {
                return null;
            }
            int attempt = n.get("attempt").intValue();
            return attempt < 1 ? null : new State(attempt, Instant.parse(n.get("timestamp").textValue()));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | DateTimeParseException e) {
            LOG.debugf("ignoring malformed %s: %s", file, e.getMessage());
            return null;
        }
    }

    private void write(State s) throws IOException {
        Files.createDirectories(file.getParent());
        ObjectNode n = JSON.createObjectNode();
        n.put("attempt", s.attempt());
        n.put("timestamp", s.timestamp().toString());
        // Via a temp file and a rename, so a crash mid-write never leaves half a file.
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(n));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
