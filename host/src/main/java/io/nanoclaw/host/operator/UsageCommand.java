package io.nanoclaw.host.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclHandler;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.usage.UsageReport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code ncl usage}: model tokens and estimated cost (USD) per agent group and UTC day, or per session and day with
 * {@code --per session} (or {@code --session}). Filters: {@code --group}, {@code --session}, {@code --since} and
 * {@code --until} (inclusive UTC days) or {@code --days N} (the last N days, today included). An agent limited to
 * its group sees its own group only.
 */
@Singleton
public class UsageCommand implements NclHandler {
    static final int MAX_DAYS = 3660;

    @Inject
    UsageReport report;
    @Inject
    Db db;

    @Override
    public String command() {
        return "usage";
    }

    @Override
    public NclAccess access() {
        return NclAccess.OPEN;
    }

    @Override
    public String summary() {
        return "tokens and estimated cost per agent group (or session) and day";
    }

    public String usage() {
        return "[--group <id>] [--session <id>] [--per group|session] [--since <yyyy-mm-dd>] [--until <yyyy-mm-dd>] "
                + "[--days <n>]";
    }

    public void validate(NclCall call) throws NclException {
        range(call);
        per(call);
    }

    @Override
    public JsonNode handle(NclCall call) throws NclException {
        LocalDate[] range = range(call);
        boolean perSession = per(call);
        String group = call.optional("group");
        String session = call.optional("session");
        if (call.caller() != null && call.caller().groupScoped()) {
            if (group != null && !group.equals(call.caller().agentGroupId())) {
                throw new NclException(NclException.FORBIDDEN, "usage of another agent group is not visible here");
            }
            group = call.caller().agentGroupId();
        }
        if (group != null && !known("agent_groups", "id", group) && !known("token_usage", "agent_group_id", group)) {
            throw new NclException(NclException.NOT_FOUND, "agent group " + group + " not found");
        }
        if (session != null && !known("sessions", "id", session)
                && !known("token_usage", "session_id", session)) {
            throw new NclException(NclException.NOT_FOUND, "session " + session + " not found");
        }
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        if (perSession) {
            for (UsageReport.SessionDay d : report.perSession(range[0], range[1])) {
                if ((group == null || group.equals(d.agentGroupId()))
                        && (session == null || session.equals(d.sessionId()))) {
                    ObjectNode r = rows.addObject().put("day", d.day()).put("group", d.agentGroupId())
                            .put("session", d.sessionId());
                    totals(r, d.totals());
                }
            }
        } else {
            for (UsageReport.GroupDay d : report.perGroup(range[0], range[1])) {
                if (group == null || group.equals(d.agentGroupId())) {
                    ObjectNode r = rows.addObject().put("day", d.day()).put("group", d.agentGroupId());
                    totals(r, d.totals());
                }
            }
        }
        return rows;
    }

    private static void totals(ObjectNode r, UsageReport.Totals t) {
        r.put("calls", t.calls()).put("input_tokens", t.inputTokens()).put("output_tokens", t.outputTokens())
                .put("cache_read_tokens", t.cacheReadTokens()).put("cache_creation_tokens", t.cacheCreationTokens())
                .put("total_tokens", t.totalTokens())
                .put("cost_usd", BigDecimal.valueOf(t.costUsd()).setScale(4, RoundingMode.HALF_UP));
    }

    /** --per session, or a --session filter, gives rows per session. */
    private static boolean per(NclCall call) throws NclException {
        String per = call.optional("per");
        if (per == null) {
            return call.optional("session") != null;
        }
        return switch (per) {
            case "group" -> {
                if (call.optional("session") != null) {
                    throw new NclException(NclException.INVALID_ARGS, "--session needs --per session");
                }
                yield false;
            }
            case "session" -> true;
            default -> throw new NclException(NclException.INVALID_ARGS,
                    "--per must be group or session, not '" + per + "'");
        };
    }

    /** [from, to], inclusive UTC days, either null for open. */
    static LocalDate[] range(NclCall call) throws NclException {
        String since = call.optional("since");
        String until = call.optional("until");
        String days = call.optional("days");
        if (days != null && since != null) {
            throw new NclException(NclException.INVALID_ARGS, "give --since or --days, not both");
        }
        LocalDate from = date("since", since);
        LocalDate to = date("until", until);
        if (days != null) {
            int n;
            try {
                n = Integer.parseInt(days);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_DAYS) {
                throw new NclException(NclException.INVALID_ARGS,
                        "--days must be a whole number from 1 to " + MAX_DAYS + ", not '" + days + "'");
            }
            LocalDate end = to != null ? to : LocalDate.now(ZoneOffset.UTC);
            from = end.minusDays(n - 1L);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new NclException(NclException.INVALID_ARGS, "--since " + from + " is after --until " + to);
        }
        return new LocalDate[] {from, to};
    }

    private static LocalDate date(String key, String v) throws NclException {
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new NclException(NclException.INVALID_ARGS, "--" + key + " must be a day as yyyy-mm-dd, not '" + v
                    + "'");
        }
    }

    private boolean known(String table, String column, String value) {
        return db.one("SELECT 1 FROM " + table + " WHERE " + column + " = ? LIMIT 1", rs -> 1, value).isPresent();
    }
}
