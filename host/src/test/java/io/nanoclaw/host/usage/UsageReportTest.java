package io.nanoclaw.host.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.testkit.HostWithFakeUpstreams;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report over rows dated 2001 (so rows other tests record today never fall in its ranges): sums per group,
 * session and UTC day, range bounds inclusive, cost from the price table per model.
 */
@QuarkusTest
@TestProfile(HostWithFakeUpstreams.class)
class UsageReportTest {
    static final LocalDate D3 = LocalDate.of(2001, 2, 3);
    static final LocalDate D4 = LocalDate.of(2001, 2, 4);

    @Inject
    Db db;

    @Inject
    UsageReport report;

    void row(String group, String session, String model, long in, long out, long read, long write, String at) {
        db.update("INSERT INTO token_usage(agent_group_id, session_id, model, input_tokens, output_tokens, "
                + "cache_read_tokens, cache_creation_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                group, session, model, in, out, read, write, at);
    }

    @BeforeEach
    void rows() {
        db.update("DELETE FROM token_usage WHERE created_at < '2002'");
        row("ag-r1", "s-1", "claude-sonnet-4-5-20250929", 1000, 500, 2000, 100, "2001-02-03T00:00:00Z");
        row("ag-r1", "s-1", "claude-haiku-4-5", 10_000, 1000, 0, 0, "2001-02-03T23:59:59.999Z");
        row("ag-r1", "s-2", "llama3.2", 7000, 300, 0, 0, "2001-02-03T12:00:00.5Z");
        row("ag-r2", "s-3", "claude-opus-4-5", 100, 10, 0, 0, "2001-02-04T00:00:00Z");
        row("ag-r1", "s-1", "claude-sonnet-4-5", 1, 1, 1, 1, "2001-02-02T23:59:59.999Z"); // before the range
        row("ag-r1", "s-1", "claude-sonnet-4-5", 1, 1, 1, 1, "2001-02-05T00:00:00Z"); // after it
    }

    static final double SONNET = (1000 * 3 + 500 * 15 + 2000 * 0.30 + 100 * 3.75) / 1e6;
    static final double HAIKU = (10_000 * 1 + 1000 * 5) / 1e6;
    static final double OPUS = (100 * 5 + 10 * 25) / 1e6;

    @Test
    void perGroupAndDay() {
        List<UsageReport.GroupDay> days = report.perGroup(D3, D4);
        assertEquals(2, days.size(), days.toString());

        UsageReport.GroupDay g1 = days.get(0);
        assertEquals("2001-02-03", g1.day());
        assertEquals("ag-r1", g1.agentGroupId());
        assertEquals(3, g1.totals().calls());
        assertEquals(1000 + 10_000 + 7000, g1.totals().inputTokens());
        assertEquals(500 + 1000 + 300, g1.totals().outputTokens());
        assertEquals(2000, g1.totals().cacheReadTokens());
        assertEquals(100, g1.totals().cacheCreationTokens());
        assertEquals(SONNET + HAIKU, g1.totals().costUsd(), 1e-12, "the local model is counted at no cost");

        UsageReport.GroupDay g2 = days.get(1);
        assertEquals("2001-02-04", g2.day());
        assertEquals("ag-r2", g2.agentGroupId());
        assertEquals(1, g2.totals().calls());
        assertEquals(OPUS, g2.totals().costUsd(), 1e-12);
    }

    @Test
    void perSessionAndDay() {
        List<UsageReport.SessionDay> s = report.perSession(D3, D4);
        assertEquals(3, s.size(), s.toString());
        assertEquals(List.of("s-1", "s-2", "s-3"), s.stream().map(UsageReport.SessionDay::sessionId).toList());
        assertEquals(2, s.get(0).totals().calls());
        assertEquals(11_000, s.get(0).totals().inputTokens());
        assertEquals(SONNET + HAIKU, s.get(0).totals().costUsd(), 1e-12);
        assertEquals(new UsageReport.Totals(1, 7000, 300, 0, 0, 0.0), s.get(1).totals());
        assertEquals("ag-r2", s.get(2).agentGroupId());
        assertEquals(7300, s.get(1).totals().totalTokens());
    }

    @Test
    void rangesAreInclusiveUtcDaysAndMayBeOpen() {
        assertEquals(List.of("2001-02-02", "2001-02-03"),
                report.perGroup(null, D3).stream().map(UsageReport.GroupDay::day).toList());
        assertEquals(1, report.perGroup(D4, D4).size());
        assertEquals(6, report.total(null, LocalDate.of(2001, 12, 31)).calls());
        assertEquals(SONNET + HAIKU + OPUS, report.total(D3, D4).costUsd(), 1e-12);
        assertEquals(UsageReport.Totals.ZERO, report.total(LocalDate.of(2001, 3, 1), LocalDate.of(2001, 3, 2)));
    }
}
