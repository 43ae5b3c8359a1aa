package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;

/**
 * Builds an input schema in upstream's shape ({@code type, properties, required} with no
 * {@code additionalProperties}), properties in insertion order so the tools list stays byte-stable.
 */
final class SchemaBuilder {
    private final ObjectNode root = Json.object();
    private final ObjectNode properties;
    private final ArrayNode required = Json.MAPPER.createArrayNode();

    private SchemaBuilder() {
        root.put("type", "object");
        properties = root.putObject("properties");
    }

    static SchemaBuilder object() {
        return new SchemaBuilder();
    }

    SchemaBuilder property(String name, String type, String description, boolean isRequired) {
        ObjectNode p = Json.object();
        p.put("type", type);
        if (description != null) {
            p.put("description", description);
        }
        return property(name, p, isRequired);
    }

    SchemaBuilder property(String name, ObjectNode schema, boolean isRequired) {
        properties.set(name, schema);
        if (isRequired) {
            required.add(name);
        }
        return this;
    }

    /** {@code {type:'array', items:{type:'string'}, description}}. */
    static ObjectNode stringArray(String description) {
        ObjectNode p = Json.object();
        p.put("type", "array");
        p.putObject("items").put("type", "string");
        p.put("description", description);
        return p;
    }

    ObjectNode build() {
        ObjectNode out = root.deepCopy();
        if (!required.isEmpty()) {
            out.set("required", required.deepCopy());
        }
        return out;
    }
}
