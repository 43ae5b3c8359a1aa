package io.nanoclaw.host.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.sweep.StuckDecision.Claim;
import io.nanoclaw.protocol.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** host.md 10 #29-#38: when the sweep kills a running container. */
class StuckDecisionTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    /** A claim as the runner writes it: SQLite's datetime('now'), UTC without a zone. */
    static Claim claimedAgo(String id, Duration d) {
        return new Claim(id, Timestamps.sqliteUtc(ago(d)));
    }

    static List<Claim> claims(Claim... c) {
        return Arrays.asList(c);
    }

    @Test
    void aFreshHeartbeatWithNoClaimsIsOk() {
        StuckDecision d = StuckDecision.decide(NOW, ago(Duration.ofSeconds(2)), List.of(), 0);
        assertEquals(StuckDecision.Action.OK, d.action());
        assertFalse(d.kill());
    }

    @Test
    void noHeartbeatFileMeansNoCeiling() {
        assertFalse(StuckDecision.decide(NOW, null, List.of(), 0).kill());
    }

    @Test
    void aHeartbeatOlderThanThirtyMinutesKills() {
        assertFalse(StuckDecision.decide(NOW, ago(Duration.ofMinutes(30)), List.of(), 0).kill(), "limit is exclusive");
        StuckDecision d = StuckDecision.decide(NOW, ago(Duration.ofMinutes(30).plusSeconds(1)), List.of(), 0);
        assertTrue(d.kill());
        assertTrue(d.reason().contains("heartbeat"), d.reason());
    }

    @Test
    void aClaimOlderThanSixtySecondsWithoutAHeartbeatSinceKills() {
        Instant heartbeat = ago(Duration.ofSeconds(100));
        StuckDecision d = StuckDecision.decide(NOW, heartbeat, claims(claimedAgo("m1", Duration.ofSeconds(61))), 0);
        assertTrue(d.kill());
        assertEquals("m1", d.messageId());
    }

    @Test
    void aClaimWithNoHeartbeatFileAtAllKillsAfterSixtySeconds() {
        assertFalse(StuckDecision.decide(NOW, null, claims(claimedAgo("m1", Duration.ofSeconds(60))), 0).kill());
        assertTrue(StuckDecision.decide(NOW, null, claims(claimedAgo("m1", Duration.ofSeconds(61))), 0).kill());
    }

    @Test
    void aHeartbeatAfterTheClaimPreventsTheKill() {
        Claim old = claimedAgo("m1", Duration.ofMinutes(10));
        assertFalse(StuckDecision.decide(NOW, ago(Duration.ofMinutes(9)), claims(old), 0).kill());
    }

    @Test
    void aHeartbeatAtTheClaimInstantIsNotAHeartbeatSince() {
        Claim old = claimedAgo("m1", Duration.ofMinutes(10));
        assertTrue(StuckDecision.decide(NOW, ago(Duration.ofMinutes(10)), claims(old), 0).kill());
    }

    @Test
    void theBashTimeoutWidensTheCeiling() {
        long bash = Duration.ofMinutes(45).toMillis();
        assertFalse(StuckDecision.decide(NOW, ago(Duration.ofMinutes(40)), List.of(), bash).kill());
        assertTrue(StuckDecision.decide(NOW, ago(Duration.ofMinutes(46)), List.of(), bash).kill());
    }

    @Test
    void theBashTimeoutWidensTheClaimTolerance() {
        long bash = Duration.ofSeconds(120).toMillis();
        Instant heartbeat = ago(Duration.ofMinutes(5));
        assertFalse(StuckDecision.decide(NOW, heartbeat, claims(claimedAgo("m1", Duration.ofSeconds(90))), bash)
                .kill());
        assertTrue(StuckDecision.decide(NOW, heartbeat, claims(claimedAgo("m1", Duration.ofSeconds(121))), bash)
                .kill());
    }

    @Test
    void aShortBashTimeoutNeverShortensTheLimits() {
        long bash = Duration.ofSeconds(5).toMillis();
        assertFalse(StuckDecision.decide(NOW, null, claims(claimedAgo("m1", Duration.ofSeconds(30))), bash).kill());
        assertFalse(StuckDecision.decide(NOW, ago(Duration.ofMinutes(20)), List.of(), bash).kill());
    }

    @Test
    void unparseableClaimTimesAreSkipped() {
        List<Claim> bad = claims(new Claim("a", "garbage"), new Claim("b", null), new Claim("c", ""),
                new Claim("d", "2025-13-45 99:00:00"));
        assertFalse(StuckDecision.decide(NOW, null, bad, 0).kill());
        List<Claim> mixed = claims(new Claim("a", "garbage"), claimedAgo("m2", Duration.ofMinutes(5)));
        StuckDecision d = StuckDecision.decide(NOW, null, mixed, 0);
        assertTrue(d.kill());
        assertEquals("m2", d.messageId(), "a bad claim doesn't hide a stuck one");
    }

    @Test
    void claimTimesWithoutAZoneAreUtcAndZonedOnesAreHonoured() {
        Instant heartbeat = ago(Duration.ofMinutes(3));
        // 2 min ago in UTC, written without a zone: older than 60 s, heartbeat before it -> kill
        assertTrue(StuckDecision.decide(NOW, heartbeat, claims(new Claim("m", "2025-06-01 11:58:00")), 0).kill());
        // The same wall time but at +02:00 is 2 h ago, before the heartbeat -> a heartbeat since -> ok
        assertFalse(StuckDecision.decide(NOW, heartbeat, claims(new Claim("m", "2025-06-01T11:58:00+02:00")), 0)
                .kill());
        // ISO with Z, 30 s ago -> too young
        assertFalse(StuckDecision.decide(NOW, null, claims(new Claim("m", "2025-06-01T11:59:30Z")), 0).kill());
    }
}
