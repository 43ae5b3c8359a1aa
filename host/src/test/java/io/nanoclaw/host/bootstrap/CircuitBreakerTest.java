package io.nanoclaw.host.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host.md 10 #47-#50: the start-up crash-loop brake, on a real state file, with time and sleep injected. */
class CircuitBreakerTest {
    @TempDir
    Path home;
    final Instant t0 = Instant.parse("2025-06-01T12:00:00Z");
    final List<Duration> slept = new ArrayList<>();
    /** The state file's content at the moment each sleep began. */
    final List<String> fileWhenSleeping = new ArrayList<>();

    Path dataDir() {
        return home.resolve("data");
    }

    CircuitBreaker at(Instant now) {
        return new CircuitBreaker(dataDir(), Clock.fixed(now, ZoneOffset.UTC), d -> {
            slept.add(d);
            try {
                fileWhenSleeping.add(Files.readString(dataDir().resolve(CircuitBreaker.FILE)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aFirstStartIsAttemptOneWithNoDelayAndCreatesTheDataDir() throws Exception {
        assertFalse(Files.exists(dataDir()));

        CircuitBreaker.Start s = at(t0).onStart();

        assertEquals(new CircuitBreaker.Start(1, Duration.ZERO), s);
        assertEquals(List.of(), slept);
        String json = Files.readString(dataDir().resolve(CircuitBreaker.FILE));
        assertTrue(json.contains("\"attempt\":1"), json);
        assertTrue(json.contains("\"timestamp\":\"2025-06-01T12:00:00Z\""), json);
    }

    @Test
    void startsWithinAnHourCountUpAndALaterStartIsAttemptOneAgain() {
        assertEquals(1, at(t0).onStart().attempt());
        assertEquals(2, at(t0.plus(Duration.ofMinutes(59))).onStart().attempt());
        // measured from the previous start, not the first one
        assertEquals(3, at(t0.plus(Duration.ofMinutes(118))).onStart().attempt());
        assertEquals(1, at(t0.plus(Duration.ofMinutes(178))).onStart().attempt(), "exactly an hour later");
        assertEquals(2, at(t0.plus(Duration.ofMinutes(179))).onStart().attempt());
    }

    @Test
    void theStateIsWrittenBeforeSleeping() {
        for (int i = 0; i < 3; i++) {
            at(t0.plusSeconds(i)).onStart();
        }
        assertEquals(List.of(Duration.ofSeconds(10)), slept);
        assertTrue(fileWhenSleeping.get(0).contains("\"attempt\":3"), fileWhenSleeping.get(0));
    }

    @Test
    void aMalformedFileCountsAsNone() throws Exception {
        Files.createDirectories(dataDir());
        Path f = dataDir().resolve(CircuitBreaker.FILE);
        for (String bad : List.of("not json", "{}", "[]", "{\"attempt\":\"3\",\"timestamp\":\"2025-06-01T11:59:00Z\"}",
                "{\"attempt\":3,\"timestamp\":\"yesterday\"}", "{\"attempt\":-4,\"timestamp\":\"2025-06-01T11:59:00Z\"}",
                "{\"attempt\":2.5,\"timestamp\":\"2025-06-01T11:59:00Z\"}", "")) {
            Files.writeString(f, bad);
            assertEquals(1, at(t0).onStart().attempt(), bad);
        }
        Files.writeString(f, "{\"attempt\":3,\"timestamp\":\"2025-06-01T11:59:00Z\"}");
        assertEquals(4, at(t0).onStart().attempt(), "a well-formed file is read");
    }

    @Test
    void resetDeletesTheFileSoTheNextStartIsAFirstAttempt() {
        CircuitBreaker b = at(t0);
        b.onStart();
        at(t0.plusSeconds(5)).onStart();
        assertTrue(Files.exists(dataDir().resolve(CircuitBreaker.FILE)));

        b.reset();

        assertFalse(Files.exists(dataDir().resolve(CircuitBreaker.FILE)));
        assertEquals(1, at(t0.plusSeconds(10)).onStart().attempt());
        at(t0).reset();
        at(t0).reset(); // nothing to delete: no error
    }

    @Test
    void theDelayScheduleIsZeroZeroTenThirtyTwoMinutesFiveMinutesThenFifteen() {
        for (int i = 0; i < 9; i++) {
            at(t0.plusSeconds(i)).onStart();
        }
        List<Duration> expected = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(120),
                Duration.ofSeconds(300), Duration.ofSeconds(900), Duration.ofSeconds(900), Duration.ofSeconds(900));
        assertEquals(expected, slept, "attempts 1 and 2 don't sleep at all");
        assertEquals(Duration.ZERO, CircuitBreaker.delayFor(1));
        assertEquals(Duration.ZERO, CircuitBreaker.delayFor(2));
        assertEquals(Duration.ofSeconds(900), CircuitBreaker.delayFor(1000));
    }
}
