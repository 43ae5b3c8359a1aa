package io.nanoclaw.runner.ncl;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.json.JsStringify;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How {@code ncl} prints a response frame: rows of scalars as a padded table (two spaces between columns, a dashed
 * line under the header, columns from the first row), anything else as JavaScript-style pretty JSON, an error as
 * {@code error (<code>): <message>}.
 */
final class NclOutput {
    private NclOutput() {}

    static String error(JsonNode frame) {
        JsonNode e = frame.path("error");
        return "error (" + e.path("code").asText("unknown") + "): " + e.path("message").asText("") + "\n";
    }

    static String data(JsonNode data) {
        if (data != null && data.isArray() && data.isEmpty()) {
            return "(no rows)\n";
        }
        if (data != null && isFlatRows(data)) {
            return table(data);
        }
        return JsStringify.stringify(data, 2) + "\n";
    }

    private static boolean isFlatRows(JsonNode data) {
        if (!data.isArray()) {
            return false;
        }
        for (JsonNode row : data) {
            if (!row.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : row.properties()) {
                if (e.getValue().isContainerNode()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String table(JsonNode rows) {
        List<String> keys = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(keys::add);
        int[] widths = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            widths[i] = keys.get(i).length();
            for (JsonNode row : rows) {
                widths[i] = Math.max(widths[i], cell(row.get(keys.get(i))).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>();
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            header.add(pad(keys.get(i), widths[i]));
            rule.add("-".repeat(widths[i]));
        }
        sb.append(String.join("  ", header)).append('\n').append(String.join("  ", rule)).append('\n');
        for (JsonNode row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                cells.add(pad(cell(row.get(keys.get(i))), widths[i]));
            }
            sb.append(String.join("  ", cells)).append('\n');
        }
        return sb.toString();
    }

    /** JavaScript's {@code String(v ?? '')}. */
    private static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        return v.isTextual() ? v.textValue() : JsStringify.stringify(v, 0);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
