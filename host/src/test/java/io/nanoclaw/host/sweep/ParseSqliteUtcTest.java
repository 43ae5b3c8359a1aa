package io.nanoclaw.host.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.sweep.StuckDecision.Claim;
import io.nanoclaw.protocol.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** host.md 10 #41: the sweep's timestamps are read as UTC whatever zone the host runs in. */
class ParseSqliteUtcTest {
    private TimeZone saved;

    @BeforeEach
    void farFromUtc() {
        saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati")); // UTC+14: any local reading would show
    }

    @AfterEach
    void restore() {
        TimeZone.setDefault(saved);
    }

    @Test
    void parseSqliteUtcHandlesZonesAndIgnoresTheJvmDefaultZone() {
        Instant noon = Instant.parse("2025-06-01T12:00:00Z");
        assertEquals(noon, Timestamps.parseUtc("2025-06-01 12:00:00"), "SQLite datetime('now') shape");
        assertEquals(noon, Timestamps.parseUtc("2025-06-01T12:00:00"), "ISO without a zone");
        assertEquals(noon, Timestamps.parseUtc("2025-06-01T12:00:00Z"));
        assertEquals(noon, Timestamps.parseUtc("2025-06-01T14:00:00+02:00"));
        assertEquals(noon, Timestamps.parseUtc("2025-06-01 07:00:00-05:00"));
        assertEquals(noon.plusMillis(250), Timestamps.parseUtc("2025-06-01 12:00:00.250"));
        assertEquals(noon, Timestamps.parseUtc("  2025-06-01 12:00:00 "));
        assertNull(Timestamps.parseUtc("yesterday"));
        assertNull(Timestamps.parseUtc(null));
        assertNull(Timestamps.parseUtc(""));
    }

    @Test
    void theStuckDecisionAgesClaimsInUtcUnderAForeignDefaultZone() {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        // 30 s old in UTC; read in UTC+14 it would be 14 h in the future (never stuck) or, the other way, long stuck
        assertFalse(StuckDecision.decide(now, null, List.of(new Claim("m", "2025-06-01 11:59:30")), 0).kill());
        assertTrue(StuckDecision.decide(now, null, List.of(new Claim("m", "2025-06-01 11:58:00")), 0).kill());
    }
}
