package io.nanoclaw.runner.tools.mcp;

import java.util.Locale;

/**
 * The names MCP tools get in the model's tools list: {@code mcp__<server>__<tool>}, as Claude Code names them, with
 * every character outside {@code [A-Za-z0-9_-]} replaced by {@code _} and at most 64 characters (the Messages API's
 * limit on tool names).
 */
final class McpToolNames {
    static final int MAX = 64;
    private static final String PREFIX = "mcp__";
    private static final String SEPARATOR = "__";
    /** How much of a long server name survives shortening: enough to tell servers apart. */
    private static final int SHORT_SERVER = 20;

    private McpToolNames() {}

    static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /**
     * The exposed name. A name over the limit keeps the start of the server name and as much of the tool name as
     * fits, plus a hash of the full name, so two long names that share a prefix still differ.
     */
    static String of(String server, String tool) {
        String s = sanitize(server);
        String t = sanitize(tool);
        String full = PREFIX + s + SEPARATOR + t;
        if (full.length() <= MAX) {
            return full;
        }
        String hash = String.format(Locale.ROOT, "%08x", (server + "\u0000" + tool).hashCode()).substring(0, 6);
        String shortServer = s.length() > SHORT_SERVER ? s.substring(0, SHORT_SERVER) : s;
        int room = MAX - PREFIX.length() - shortServer.length() - SEPARATOR.length() - 1 - hash.length();
        String shortTool = t.length() > room ? t.substring(0, room) : t;
        return PREFIX + shortServer + SEPARATOR + shortTool + "_" + hash;
    }
}
