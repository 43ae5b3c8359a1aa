package io.nanoclaw.runner.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** agent-runner.md section 7, items 35-37. */
class TimeZonesTest {
    @Test
    void formatsInTheUsersZone() {
        assertEquals("Feb 10, 2026, 1:30 PM", LocalTimes.format("2026-02-10T18:30:00.000Z", "America/New_York"));
        assertEquals("Jun 15, 2026, 8:00 AM", LocalTimes.format("2026-06-15T12:00:00Z", "America/New_York"));
        assertEquals("Jun 15, 2026, 9:00 PM", LocalTimes.format("2026-06-15T12:00:00Z", "Asia/Tokyo"));
    }

    @Test
    void anInvalidZoneFormatsAsUtcWithoutThrowing() {
        assertEquals("Jun 15, 2026, 12:00 PM", LocalTimes.format("2026-06-15T12:00:00Z", "Not/AZone"));
    }

    @Test
    void sqliteShapeIsReadAsUtc() {
        assertEquals("Jun 15, 2026, 8:00 AM", LocalTimes.format("2026-06-15 12:00:00", "America/New_York"));
    }

    @Test
    void validatesIanaNames() {
        assertTrue(TimeZones.isValid("America/New_York"));
        assertTrue(TimeZones.isValid("UTC"));
        assertTrue(TimeZones.isValid("Asia/Tokyo"));
        assertTrue(TimeZones.isValid("Asia/Jerusalem"));
        assertFalse(TimeZones.isValid("IST-2"));
        assertFalse(TimeZones.isValid("XYZ+3"));
        assertFalse(TimeZones.isValid(""));
        assertFalse(TimeZones.isValid(null));
        assertFalse(TimeZones.isValid("NotATimezone"));
    }

    @Test
    void resolveFallsBackToUtc() {
        assertEquals(ZoneId.of("UTC"), TimeZones.resolve("NotATimezone"));
        assertEquals(ZoneId.of("Asia/Tokyo"), TimeZones.resolve("asia/tokyo"));
        assertEquals(ZoneId.of("Europe/Paris"), TimeZones.fromEnvironment(":Europe/Paris"));
        assertEquals("UTC", TimeZones.resolve("Etc/UTC").getId(), "named as Intl names it");
        assertEquals("UTC", TimeZones.fromEnvironment("GMT").getId());
    }
    @Test
    void zonedAndOffsetTimesPassThrough() {
        assertEquals(Instant.parse("2026-01-15T09:00:00Z"),
                TimeZones.parseZonedToUtc("2026-01-15T09:00:00Z", "America/New_York"));
        assertEquals(Instant.parse("2026-01-15T07:00:00Z"),
                TimeZones.parseZonedToUtc("2026-01-15T09:00:00+02:00", "America/New_York"));
        assertEquals(Instant.parse("2026-01-15T07:00:00Z"),
                TimeZones.parseZonedToUtc("2026-01-15T09:00+0200", "America/New_York"));
        assertEquals(Instant.parse("2026-01-15T09:00:00.250Z"),
                TimeZones.parseZonedToUtc("2026-01-15T09:00:00.250z", "UTC"));
    }

    @Test
    void naiveTimesAreWallClockTimeInTheZone() {
        assertEquals(Instant.parse("2026-01-15T14:00:00Z"),
                TimeZones.parseZonedToUtc("2026-01-15T09:00:00", "America/New_York"));
        assertEquals(Instant.parse("2026-07-15T13:00:00Z"),
                TimeZones.parseZonedToUtc("2026-07-15T09:00", "America/New_York"), "summer time");
        assertEquals(Instant.parse("2026-01-15T00:00:00Z"),
                TimeZones.parseZonedToUtc("2026-01-15T09:00:00", "Asia/Tokyo"));
        assertEquals(Instant.parse("2026-01-15T14:30:00Z"),
                TimeZones.parseZonedToUtc(" 2026-01-15 09:30 ", ZoneId.of("America/New_York")));
    }

    @Test
    void aTimeInTheSpringGapMovesLater() {
        // 02:30 does not exist in New York on 2026-03-08; it becomes 03:30 EDT (07:30Z), as the host's cron does.
        assertEquals(Instant.parse("2026-03-08T07:30:00Z"),
                TimeZones.parseZonedToUtc("2026-03-08T02:30:00", "America/New_York"));
    }

    @Test
    void aBadZoneReadsNaiveTimesAsUtc() {
        assertEquals(Instant.parse("2026-01-15T09:00:00Z"), TimeZones.parseZonedToUtc("2026-01-15T09:00:00", "Nope/X"));
    }

    @Test
    void unparseableTimesGiveNull() {
        assertNull(TimeZones.parseZonedToUtc("tomorrow", "UTC"));
        assertNull(TimeZones.parseZonedToUtc("2026-01-15", "UTC"));
        assertNull(TimeZones.parseZonedToUtc("2026-13-01T09:00:00", "UTC"));
        assertNull(TimeZones.parseZonedToUtc("", "UTC"));
        assertNull(TimeZones.parseZonedToUtc(null, "UTC"));
    }
}
