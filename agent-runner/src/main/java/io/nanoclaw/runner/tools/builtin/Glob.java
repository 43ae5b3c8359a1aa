package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/** Claude Code's Glob: files whose path (relative to path) matches a glob, newest first. */
public final class Glob implements Tool {
    static final int MAX_RESULTS = 100;

    private static final ObjectNode SCHEMA = Schema.object()
            .property("pattern", "string", "The glob pattern to match files against", true)
            .property("path", "string",
                    "The directory to search in. If not specified, the current working directory will be used.",
                    false)
            .build();

    @Override
    public String name() {
        return "Glob";
    }

    @Override
    public String description() {
        return "Fast file pattern matching. Supports glob patterns like \"**/*.js\" or \"src/**/*.ts\" (matched"
                + " against the path relative to the search folder). Returns matching file paths sorted by"
                + " modification time, newest first, at most 100.";
    }

    @Override
    public ObjectNode inputSchema() {
        return SCHEMA.deepCopy();
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ToolResult run(JsonNode input, ToolContext context) {
        try {
            String pattern = Input.requiredString(input, "pattern");
            String rawPath = Input.optionalString(input, "path");
            Path base = PathGuard.resolve(context, rawPath == null || rawPath.isBlank() ? "." : rawPath);
            if (!Files.isDirectory(base)) {
                return ToolResult.error("not a directory: " + (rawPath == null ? base : rawPath));
            }
            if (pattern.startsWith("/")) {
                // An absolute pattern: match it relative to the search folder when it lies inside it.
                String prefix = base.toString().endsWith("/") ? base.toString() : base + "/";
                if (!pattern.startsWith(prefix)) {
                    return ToolResult.error("absolute pattern " + pattern + " is not under " + base
                            + "; pass the folder as path and a relative pattern");
                }
                pattern = pattern.substring(prefix.length());
            }
            List<PathMatcher> matchers = matchers(pattern);
            List<FileWalk.Entry> hits = new ArrayList<>();
            for (FileWalk.Entry e : FileWalk.files(base)) {
                Path rel = Path.of(e.relative());
                for (PathMatcher m : matchers) {
                    if (m.matches(rel)) {
                        hits.add(e);
                        break;
                    }
                }
            }
            if (hits.isEmpty()) {
                return ToolResult.ok("No files found");
            }
            FileWalk.sortByMtime(hits);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < Math.min(MAX_RESULTS, hits.size()); i++) {
                out.append(hits.get(i).path()).append('\n');
            }
            if (hits.size() > MAX_RESULTS) {
                out.append("(").append(hits.size() - MAX_RESULTS)
                        .append(" more files not shown; use a more specific pattern or path)\n");
            }
            return ToolResult.ok(out.toString());
        } catch (BadInput e) {
            return ToolResult.error(e.getMessage());
        } catch (IOException e) {
            return ToolResult.error("cannot search: " + e);
        }
    }

    /**
     * java.nio's "**&#47;*.java" needs at least one folder; ripgrep-style globs (what Claude Code uses) also match
     * top-level files, so a leading "**&#47;" is tried both with and without.
     */
    static List<PathMatcher> matchers(String pattern) throws BadInput {
        List<PathMatcher> out = new ArrayList<>();
        try {
            out.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            String p = pattern;
            while (p.startsWith("**/")) {
                p = p.substring(3);
                out.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
            }
        } catch (IllegalArgumentException e) {
            throw new BadInput("invalid glob pattern: " + pattern + " (" + e.getMessage() + ")");
        }
        return out;
    }
}
