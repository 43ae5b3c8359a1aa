package io.nanoclaw.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a reply is printed (host.md 9): an array of flat objects as a padded table (two spaces between columns, a
 * dashed rule under the header), an empty array as "(no rows)", anything else as pretty JSON; an error frame as
 * {@code error (<code>): <message>}.
 */
public final class NclOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private NclOutput() {}

    public static String error(JsonNode frame) {
        JsonNode e = frame.path("error");
        return "error (" + e.path("code").asText("unknown") + "): " + e.path("message").asText("") + "\n";
    }

    public static String json(JsonNode n) {
        try {
            return PRETTY.writeValueAsString(n) + "\n";
        } catch (JsonProcessingException e) {
            return String.valueOf(n) + "\n";
        }
    }

    public static String data(JsonNode data) {
        if (data != null && data.isArray() && data.isEmpty()) {
            return "(no rows)\n";
        }
        if (data != null && isFlatRows(data)) {
            return table(data);
        }
        return json(data);
    }

    static boolean isFlatRows(JsonNode data) {
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

    static String table(JsonNode rows) {
        Set<String> keySet = new LinkedHashSet<>();
        rows.forEach(r -> r.fieldNames().forEachRemaining(keySet::add));
        List<String> keys = new ArrayList<>(keySet);
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
        sb.append(String.join("  ", header).stripTrailing()).append('\n')
                .append(String.join("  ", rule)).append('\n');
        for (JsonNode row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                cells.add(pad(cell(row.get(keys.get(i))), widths[i]));
            }
            sb.append(String.join("  ", cells).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        return (v.isTextual() ? v.textValue() : v.toString()).replace('\n', ' ');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
