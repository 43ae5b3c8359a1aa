package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;

/** Builds an input schema with properties in insertion order, so the tools list is byte-stable. */
final class Schema {
    private final ObjectNode root = Json.object();
    private final ObjectNode properties;
    private final ArrayNode required;

    private Schema() {
        root.put("type", "object");
        properties = root.putObject("properties");
        required = root.putArray("required");
    }

    static Schema object() {
        return new Schema();
    }

    Schema property(String name, String type, String description, boolean isRequired) {
        ObjectNode p = properties.putObject(name);
        p.put("type", type);
        p.put("description", description);
        if (isRequired) {
            required.add(name);
        }
        return this;
    }

    Schema enumProperty(String name, String description, String... values) {
        ObjectNode p = properties.putObject(name);
        p.put("type", "string");
        ArrayNode e = p.putArray("enum");
        for (String v : values) {
            e.add(v);
        }
        p.put("description", description);
        return this;
    }

    /** A property with a schema the simple forms above cannot say (arrays of objects, string formats). */
    Schema property(String name, ObjectNode schema, boolean isRequired) {
        properties.set(name, schema.deepCopy());
        if (isRequired) {
            required.add(name);
        }
        return this;
    }

    ObjectNode build() {
        root.put("additionalProperties", false);
        return root.deepCopy();
    }
}
