package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.db.Db;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Central-DB rows as JSON: every column by name, numbers as numbers, NULL as null. */
public final class NclRows {
    public static final int DEFAULT_LIMIT = 200;
    public static final int MAX_LIMIT = 10_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NclRows() {}

    public static ObjectNode row(ResultSet rs) throws SQLException {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ResultSetMetaData md = rs.getMetaData();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i);
            Object v = rs.getObject(i);
            if (v == null) {
                n.putNull(name);
            } else if (v instanceof Integer || v instanceof Long) {
                n.put(name, ((Number) v).longValue());
            } else if (v instanceof Double || v instanceof Float || md.getColumnType(i) == Types.REAL) {
                n.put(name, ((Number) v).doubleValue());
            } else {
                n.put(name, v.toString());
            }
        }
        return n;
    }

    public static ArrayNode array(List<ObjectNode> rows) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        rows.forEach(a::add);
        return a;
    }

    public static Optional<ObjectNode> one(Db db, String sql, Object... args) {
        return db.one(sql, NclRows::row, args);
    }

    /**
     * A list filtered on its columns: {@code select} is wrapped, so each argument (by column name, or an alias)
     * becomes {@code column = value}; {@code --limit} caps the rows (default 200).
     */
    public static ArrayNode list(Db db, String select, List<String> columns, Map<String, String> aliases,
                                 String orderBy, NclCall call) throws NclException {
        StringBuilder sql = new StringBuilder("SELECT * FROM (").append(select).append(") WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (call.args() != null) {
            for (Map.Entry<String, JsonNode> e : call.args().properties()) {
                String key = e.getKey();
                if (key.equals("limit")) {
                    continue;
                }
                String column = aliases.getOrDefault(key, key);
                if (!columns.contains(column)) {
                    continue; // the dispatcher refused unknown keys already
                }
                String v = call.optional(key);
                if (v == null) {
                    continue;
                }
                sql.append(" AND ").append(column).append(" = ?");
                params.add(v);
            }
        }
        Integer limit = NclArgs.integer(call, "limit", 1, MAX_LIMIT);
        sql.append(" ORDER BY ").append(orderBy).append(" LIMIT ").append(limit == null ? DEFAULT_LIMIT : limit);
        return array(db.query(sql.toString(), NclRows::row, params.toArray()));
    }

    /** A stored JSON column as JSON (the text itself when it is not valid JSON). */
    public static JsonNode json(String stored) {
        if (stored == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return MAPPER.readTree(stored);
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode(stored);
        }
    }
}
