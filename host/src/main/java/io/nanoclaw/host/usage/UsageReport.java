package io.nanoclaw.host.usage;

import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token usage and estimated cost from the token_usage table, per agent group or per session and UTC day, over an
 * optional range of days. Costs are computed here from {@link ModelPrices} rather than stored, so a corrected
 * price applies to past rows too.
 */
@Singleton
public class UsageReport {
    /** Sums over a set of model calls. */
    public record Totals(long calls, long inputTokens, long outputTokens, long cacheReadTokens,
                         long cacheCreationTokens, double costUsd) {
        public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0);

        public long totalTokens() {
            return inputTokens + outputTokens + cacheReadTokens + cacheCreationTokens;
        }

        Totals plus(Totals o) {
            return new Totals(calls + o.calls, inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                    cacheReadTokens + o.cacheReadTokens, cacheCreationTokens + o.cacheCreationTokens,
                    costUsd + o.costUsd);
        }
    }

    /** One agent group on one UTC day ({@code yyyy-MM-dd}). */
    public record GroupDay(String day, String agentGroupId, Totals totals) {}

    /** One session on one UTC day. */
    public record SessionDay(String day, String agentGroupId, String sessionId, Totals totals) {}

    @Inject
    Db db;

    /** Per agent group and day, oldest day first. {@code from} and {@code to} are inclusive UTC days; null = open. */
    public List<GroupDay> perGroup(LocalDate from, LocalDate to) {
        Map<List<String>, Totals> sums = new LinkedHashMap<>();
        for (Row r : rows(from, to)) {
            sums.merge(List.of(r.day, nz(r.group)), r.totals(), Totals::plus);
        }
        List<GroupDay> out = new ArrayList<>();
        sums.forEach((k, t) -> out.add(new GroupDay(k.get(0), k.get(1), t)));
        return out;
    }

    /** Per session and day, oldest day first, then by agent group and session. */
    public List<SessionDay> perSession(LocalDate from, LocalDate to) {
        Map<List<String>, Totals> sums = new LinkedHashMap<>();
        for (Row r : rows(from, to)) {
            sums.merge(List.of(r.day, nz(r.group), nz(r.session)), r.totals(), Totals::plus);
        }
        List<SessionDay> out = new ArrayList<>();
        sums.forEach((k, t) -> out.add(new SessionDay(k.get(0), k.get(1), k.get(2), t)));
        return out;
    }

    /** Everything in the range. */
    public Totals total(LocalDate from, LocalDate to) {
        Totals sum = Totals.ZERO;
        for (Row r : rows(from, to)) {
            sum = sum.plus(r.totals());
        }
        return sum;
    }

    /** Sums per day, group, session and model: the model decides the price, so it is the finest grain needed. */
    private List<Row> rows(LocalDate from, LocalDate to) {
        StringBuilder sql = new StringBuilder("SELECT substr(created_at, 1, 10) AS day, agent_group_id, session_id, "
                + "model, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), "
                + "SUM(cache_creation_tokens) FROM token_usage WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        // created_at is ISO-8601 UTC, so plain string comparison orders it; "yyyy-MM-dd" sorts before that day's
        // first instant.
        if (from != null) {
            sql.append(" AND created_at >= ?");
            args.add(from.toString());
        }
        if (to != null) {
            sql.append(" AND created_at < ?");
            args.add(to.plusDays(1).toString());
        }
        sql.append(" GROUP BY day, agent_group_id, session_id, model ORDER BY day, agent_group_id, session_id, model");
        return db.query(sql.toString(), rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)),
                args.toArray());
    }

    private record Row(String day, String group, String session, String model, long calls, long input, long output,
                       long cacheRead, long cacheCreation) {
        Totals totals() {
            return new Totals(calls, input, output, cacheRead, cacheCreation,
                    ModelPrices.cost(model, input, output, cacheRead, cacheCreation));
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
