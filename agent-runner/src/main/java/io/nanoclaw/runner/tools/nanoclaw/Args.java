package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a tool call's input the way upstream's handlers do: a missing, null or empty string counts as absent
 * (JavaScript's {@code !x}), and models that send {@code "5"} for 5 are understood.
 */
final class Args {
    private Args() {}

    /** A string field; null when absent, JSON null or empty. Scalars of other types are read as text. */
    static String text(JsonNode input, String field) throws Refusal {
        JsonNode v = input == null ? null : input.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isContainerNode()) {
            throw new Refusal(field + " must be a string");
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    /** JavaScript's {@code x || ''} for a field read with {@link #text}. */
    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Whether the field is present as a string (even an empty one): update_task's "" means "clear it". */
    static boolean isString(JsonNode input, String field) {
        JsonNode v = input == null ? null : input.get(field);
        return v != null && v.isTextual();
    }

    /** An integer field (a number or a numeric string); null when absent, zero or not a number. */
    static Long integer(JsonNode input, String field) {
        JsonNode v = input == null ? null : input.get(field);
        if (v == null) {
            return null;
        }
        long n;
        if (v.isIntegralNumber()) {
            n = v.asLong();
        } else if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
            n = (long) v.asDouble();
        } else if (v.isTextual()) {
            try {
                n = Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return n == 0 ? null : n;
    }

    /** A number field (a number or a numeric string); null when absent, zero or not a number. */
    static Double number(JsonNode input, String field) throws Refusal {
        JsonNode v = input == null ? null : input.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        double d;
        if (v.isNumber()) {
            d = v.asDouble();
        } else if (v.isTextual() && !v.textValue().isBlank()) {
            try {
                d = Double.parseDouble(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw new Refusal(field + " must be a number");
            }
        } else {
            throw new Refusal(field + " must be a number");
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new Refusal(field + " must be a number");
        }
        return d == 0 ? null : d;
    }

    /** An array of strings; an empty list when absent or null. */
    static List<String> strings(JsonNode input, String field) throws Refusal {
        JsonNode v = input == null ? null : input.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new Refusal(field + " must be an array of strings");
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new Refusal(field + " must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }
}
