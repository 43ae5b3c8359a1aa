package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@code <resource> list}: flat rows of one query, filtered by any column ({@code --<column> v}) and --limit. */
public abstract class NclList extends NclCommand {
    @Inject
    protected Db db;

    private final String select;
    private final List<String> columns;
    private final Map<String, String> aliases;
    private final String orderBy;

    protected NclList(String command, String summary, String select, List<String> columns,
                      Map<String, String> aliases, String orderBy) {
        super(command, NclAccess.OPEN, usage(columns, aliases), summary);
        this.select = select;
        this.columns = columns;
        this.aliases = aliases;
        this.orderBy = orderBy;
    }

    private static String usage(List<String> columns, Map<String, String> aliases) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(aliases).forEach((a, c) -> sb.append("[--").append(a.replace('_', '-'))
                .append(" v] "));
        return sb.append("[--<column> v ...] [--limit n]").toString();
    }

    @Override
    public Set<String> arguments() {
        Set<String> keys = new LinkedHashSet<>(columns);
        keys.addAll(aliases.keySet());
        keys.add("limit");
        return keys;
    }

    @Override
    public void validate(NclCall call) throws NclException {
        NclArgs.integer(call, "limit", 1, NclRows.MAX_LIMIT);
    }

    @Override
    public JsonNode handle(NclCall call) throws NclException {
        return NclRows.list(db, select, columns, aliases, orderBy, call);
    }
}
