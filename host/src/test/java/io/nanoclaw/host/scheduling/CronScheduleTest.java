package io.nanoclaw.host.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** Cron in the user's wall-clock time, across both DST changes, independent of the JVM's zone. */
class CronScheduleTest {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant next(String cron, String fromUtc) {
        return CronSchedule.nextAfter(cron, Instant.parse(fromUtc), NEW_YORK);
    }

    @Test
    void dailyNineInNewYorkMovesFrom14To13UtcAtTheMarchChange() {
        // 2026-03-08 is the US spring-forward day: EST (UTC-5) before, EDT (UTC-4) from then on.
        assertEquals(Instant.parse("2026-03-07T14:00:00Z"), next("0 9 * * *", "2026-03-06T15:00:00Z"));
        assertEquals(Instant.parse("2026-03-08T13:00:00Z"), next("0 9 * * *", "2026-03-07T14:00:00Z"));
        assertEquals(Instant.parse("2026-03-09T13:00:00Z"), next("0 9 * * *", "2026-03-08T13:00:00Z"));
    }

    @Test
    void dailyNineInNewYorkMovesFrom13To14UtcAtTheNovemberChange() {
        // 2026-11-01 is the fall-back day: EDT (UTC-4) before, EST (UTC-5) from then on.
        assertEquals(Instant.parse("2026-10-31T13:00:00Z"), next("0 9 * * *", "2026-10-30T14:00:00Z"));
        assertEquals(Instant.parse("2026-11-01T14:00:00Z"), next("0 9 * * *", "2026-10-31T13:00:00Z"));
        assertEquals(Instant.parse("2026-11-02T14:00:00Z"), next("0 9 * * *", "2026-11-01T14:00:00Z"));
    }

    @Test
    void aTimeInTheSpringForwardGapRunsThatDayAnHourLater() {
        // 02:30 does not exist on 2026-03-08 in New York; the run moves by the gap's length to 03:30 EDT.
        assertEquals(Instant.parse("2026-03-08T07:30:00Z"), next("30 2 * * *", "2026-03-07T08:00:00Z"));
        // and the day after it is back at 02:30 (now EDT).
        assertEquals(Instant.parse("2026-03-09T06:30:00Z"), next("30 2 * * *", "2026-03-08T07:30:00Z"));
        // Every 30 minutes: 02:00 and 02:30 both fall into the gap and become one run at 03:00 EDT.
        assertEquals(Instant.parse("2026-03-08T07:00:00Z"), next("*/30 * * * *", "2026-03-08T06:45:00Z"));
        assertEquals(Instant.parse("2026-03-08T07:30:00Z"), next("*/30 * * * *", "2026-03-08T07:00:00Z"));
    }

    @Test
    void aTimeInTheRepeatedFallBackHourRunsOnce() {
        // 01:30 happens twice on 2026-11-01 (05:30Z in EDT, 06:30Z in EST); a daily task runs at the first only.
        assertEquals(Instant.parse("2026-11-01T05:30:00Z"), next("30 1 * * *", "2026-11-01T04:00:00Z"));
        assertEquals(Instant.parse("2026-11-02T06:30:00Z"), next("30 1 * * *", "2026-11-01T05:31:00Z"));
        // Even when asked from inside the repeated hour, before the second 01:30.
        assertEquals(Instant.parse("2026-11-02T06:30:00Z"), next("30 1 * * *", "2026-11-01T06:10:00Z"));
    }

    @Test
    void theUsersZoneWinsOverTheJvmDefaultZone() {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Auckland"));
            assertEquals(Instant.parse("2026-03-08T13:00:00Z"), next("0 9 * * *", "2026-03-07T14:00:00Z"));
            assertEquals(Instant.parse("2026-03-08T07:30:00Z"), next("30 2 * * *", "2026-03-07T08:00:00Z"));
            assertEquals(Instant.parse("2026-06-01T00:00:00Z"),
                    CronSchedule.nextAfter("0 0 1 * *", Instant.parse("2026-05-15T00:00:00Z"), ZoneId.of("UTC")));
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void theNextRunIsStrictlyAfterTheGivenTime() {
        assertEquals(Instant.parse("2026-01-06T14:00:00Z"), next("0 9 * * *", "2026-01-05T14:00:00Z"));
        assertEquals(Instant.parse("2026-01-05T14:00:00Z"), next("0 9 * * *", "2026-01-05T13:59:59.999Z"));
    }

    @Test
    void dayFieldsFollowVixieCron() {
        // Sunday is 0 or 7 or SUN; 2026-03-08 is a Sunday.
        for (String dow : new String[] {"0", "7", "SUN"}) {
            assertEquals(Instant.parse("2026-03-08T13:00:00Z"), next("0 9 * * " + dow, "2026-03-02T15:00:00Z"));
        }
        // With both day fields restricted, either one matching is enough: Monday 2026-03-09 comes before April 1.
        assertEquals(Instant.parse("2026-03-09T13:00:00Z"), next("0 9 1 * 1", "2026-03-02T15:00:00Z"));
        assertEquals(Instant.parse("2026-03-02T14:30:00Z"), next("30 9 * * MON-FRI", "2026-03-01T15:00:00Z"));
    }

    @Test
    void validationExplainsWhatIsWrong() {
        assertEquals("0 9 * * 1-5", CronSchedule.validate("  0 9 * * 1-5 "));
        assertEquals("0 9 29 2 *", CronSchedule.validate("0 9 29 2 *"));
        assertMessage("0 9 * *", "invalid cron expression \"0 9 * *\": expected 5 fields "
                + "(minute hour day-of-month month day-of-week), got 4");
        assertMessage("0 0 9 * * *", "got 6");
        assertMessage("@daily", "got 1");
        assertMessage("0 25 * * *", "invalid cron expression \"0 25 * * *\": Value 25 not in range [0, 23]");
        assertMessage("61 * * * *", "Value 61 not in range [0, 59]");
        assertMessage("0 9 L * *", "invalid cron expression \"0 9 L * *\"");
        assertMessage("0 9 30 2 *", "invalid cron expression \"0 9 30 2 *\": it never fires");
        assertMessage("", "it is empty");
        assertMessage(null, "it is empty");
        assertMessage("0 9 * * *" + " ".repeat(200), "longer than 200 characters");
        assertThrows(IllegalArgumentException.class,
                () -> CronSchedule.nextAfter("nope", Instant.parse("2026-01-01T00:00:00Z"), NEW_YORK));
    }

    private static void assertMessage(String expr, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.validate(expr));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
