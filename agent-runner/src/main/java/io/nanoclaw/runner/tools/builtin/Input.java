package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads fields of a tool call's input. Lenient on types (models sometimes send "5" for 5), strict on presence. */
final class Input {
    private Input() {}

    static String requiredString(JsonNode input, String field) throws BadInput {
        String s = optionalString(input, field);
        if (s == null) {
            throw new BadInput("missing required parameter: " + field);
        }
        return s;
    }

    static String optionalString(JsonNode input, String field) throws BadInput {
        JsonNode v = input == null ? null : input.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isContainerNode()) {
            throw new BadInput("parameter " + field + " must be a string");
        }
        return v.asText();
    }

    static Long optionalLong(JsonNode input, String field) throws BadInput {
        JsonNode v = input == null ? null : input.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new BadInput("parameter " + field + " must be an integer");
    }

    static boolean optionalBoolean(JsonNode input, String field, boolean fallback) throws BadInput {
        JsonNode v = input == null ? null : input.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.textValue().equals("true") || v.textValue().equals("false"))) {
            return Boolean.parseBoolean(v.textValue());
        }
        throw new BadInput("parameter " + field + " must be a boolean");
    }
}
