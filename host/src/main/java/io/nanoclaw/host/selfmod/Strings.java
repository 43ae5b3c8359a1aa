package io.nanoclaw.host.selfmod;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reading the agent's untrusted JSON: lists that must hold only strings. */
final class Strings {
    private Strings() {}

    /** A missing field is an empty list; anything but an array of strings is refused. */
    static List<String> list(JsonNode content, String field) {
        JsonNode n = content.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(field + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException(field + " must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }
}
