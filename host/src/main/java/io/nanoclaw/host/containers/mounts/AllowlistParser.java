package io.nanoclaw.host.containers.mounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the allowlist file's JSON through Jackson's tree model (no reflective binding, so nothing to register for a
 * native image). Strict: any mistake makes the whole file invalid, because a half-understood allowlist could allow
 * more than the user meant.
 */
public final class AllowlistParser {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AllowlistParser() {}

    /** @throws IllegalArgumentException with a reason fit for the log */
    public static MountAllowlist parse(String json, Path userHome) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the top level must be a JSON object");
        }
        JsonNode rootsNode = root.get("allowedRoots");
        if (rootsNode == null || !rootsNode.isArray()) {
            throw new IllegalArgumentException("\"allowedRoots\" must be an array");
        }
        List<AllowedRoot> roots = new ArrayList<>();
        for (int i = 0; i < rootsNode.size(); i++) {
            roots.add(root(rootsNode.get(i), i, userHome));
        }
        List<String> patterns = new ArrayList<>();
        JsonNode patternsNode = root.get("blockedPatterns");
        if (patternsNode != null && !patternsNode.isNull()) {
            if (!patternsNode.isArray()) {
                throw new IllegalArgumentException("\"blockedPatterns\" must be an array of strings");
            }
            for (JsonNode p : patternsNode) {
                // An empty pattern would be "contained" in every path: surely a mistake, so say so.
                if (!p.isTextual() || p.asText().isEmpty()) {
                    throw new IllegalArgumentException("\"blockedPatterns\" entries must be non-empty strings");
                }
                patterns.add(p.asText());
            }
        }
        return new MountAllowlist(roots, patterns);
    }

    private static AllowedRoot root(JsonNode n, int i, Path userHome) {
        String where = "allowedRoots[" + i + "]";
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        JsonNode path = n.get("path");
        if (path == null || !path.isTextual()) {
            throw new IllegalArgumentException(where + ".path must be a string");
        }
        Path p = PathRules.expandHome(path.asText(), userHome);
        if (p == null) {
            throw new IllegalArgumentException(where + ".path must be absolute or start with ~/: " + path.asText());
        }
        JsonNode rw = n.get("allowReadWrite");
        if (rw != null && !rw.isNull() && !rw.isBoolean()) {
            throw new IllegalArgumentException(where + ".allowReadWrite must be true or false");
        }
        JsonNode description = n.get("description");
        return new AllowedRoot(p.normalize(), rw != null && rw.asBoolean(false),
                description != null && description.isTextual() ? description.asText() : null);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
