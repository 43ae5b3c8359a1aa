package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Claude Code's Grep, in Java: the image has no ripgrep. java.util.regex syntax, which is close to ripgrep's for
 * everyday patterns. Output follows rg: {@code path:line:text} for matches, {@code path-line-text} for context,
 * {@code --} between separate groups.
 */
public final class Grep implements Tool {
    static final long MAX_FILE_BYTES = 10L * 1024 * 1024;

    /** ripgrep's --type names the models use most. */
    static final Map<String, Set<String>> TYPES = Map.ofEntries(
            Map.entry("java", Set.of("java")),
            Map.entry("js", Set.of("js", "mjs", "cjs", "jsx")),
            Map.entry("ts", Set.of("ts", "tsx", "mts", "cts")),
            Map.entry("py", Set.of("py", "pyi")),
            Map.entry("md", Set.of("md", "markdown", "mdx")),
            Map.entry("json", Set.of("json", "jsonl")),
            Map.entry("go", Set.of("go")),
            Map.entry("rust", Set.of("rs")),
            Map.entry("rs", Set.of("rs")),
            Map.entry("sh", Set.of("sh", "bash", "zsh")),
            Map.entry("yaml", Set.of("yaml", "yml")),
            Map.entry("toml", Set.of("toml")),
            Map.entry("xml", Set.of("xml")),
            Map.entry("html", Set.of("html", "htm")),
            Map.entry("css", Set.of("css", "scss", "sass", "less")),
            Map.entry("sql", Set.of("sql")),
            Map.entry("c", Set.of("c", "h")),
            Map.entry("cpp", Set.of("cpp", "cc", "cxx", "hpp", "hh", "hxx", "h")),
            Map.entry("kotlin", Set.of("kt", "kts")),
            Map.entry("rb", Set.of("rb")),
            Map.entry("ruby", Set.of("rb")),
            Map.entry("php", Set.of("php")),
            Map.entry("txt", Set.of("txt")),
            Map.entry("csv", Set.of("csv")));

    private static final ObjectNode SCHEMA = Schema.object()
            .property("pattern", "string", "The regular expression pattern to search for in file contents", true)
            .property("path", "string",
                    "File or directory to search in. Defaults to the current working directory.", false)
            .property("glob", "string",
                    "Glob pattern to filter files (e.g. \"*.js\", \"*.{ts,tsx}\")", false)
            .enumProperty("output_mode",
                    "Output mode: \"content\" shows matching lines (supports -A/-B/-C context, -n line numbers,"
                            + " head_limit), \"files_with_matches\" shows file paths (supports head_limit), \"count\""
                            + " shows match counts (supports head_limit). Defaults to \"files_with_matches\".",
                    "content", "files_with_matches", "count")
            .property("-B", "number",
                    "Number of lines to show before each match. Requires output_mode: \"content\".", false)
            .property("-A", "number",
                    "Number of lines to show after each match. Requires output_mode: \"content\".", false)
            .property("-C", "number",
                    "Number of lines to show before and after each match. Requires output_mode: \"content\".", false)
            .property("-n", "boolean",
                    "Show line numbers in output. Requires output_mode: \"content\". Defaults to true.", false)
            .property("-i", "boolean", "Case insensitive search", false)
            .property("type", "string",
                    "File type to search (e.g. js, py, rust, go, java). Restricts the search to those extensions.",
                    false)
            .property("head_limit", "number",
                    "Limit output to the first N lines/entries. Defaults to no limit.", false)
            .property("multiline", "boolean",
                    "Enable multiline mode where . matches newlines and patterns can span lines. Default: false.",
                    false)
            .build();

    @Override
    public String name() {
        return "Grep";
    }

    @Override
    public String description() {
        return "Searches file contents with a regular expression (Java regex syntax, close to ripgrep's). Filter"
                + " files with glob or type. output_mode: \"files_with_matches\" (default, newest first),"
                + " \"content\" (matching lines, with -A/-B/-C context and -n line numbers) or \"count\"."
                + " Skips .git, binary files and files over 10 MiB.";
    }

    @Override
    public ObjectNode inputSchema() {
        return SCHEMA.deepCopy();
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    private record Options(Pattern pattern, boolean multiline, String mode, int before, int after,
            boolean lineNumbers, Long headLimit) {}

    @Override
    public ToolResult run(JsonNode input, ToolContext context) {
        try {
            String regex = Input.requiredString(input, "pattern");
            String rawPath = Input.optionalString(input, "path");
            String glob = Input.optionalString(input, "glob");
            String type = Input.optionalString(input, "type");
            String mode = Input.optionalString(input, "output_mode");
            mode = mode == null || mode.isBlank() ? "files_with_matches" : mode;
            if (!Set.of("content", "files_with_matches", "count").contains(mode)) {
                return ToolResult.error("output_mode must be content, files_with_matches or count");
            }
            boolean multiline = Input.optionalBoolean(input, "multiline", false);
            int flags = Input.optionalBoolean(input, "-i", false) ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE
                    : 0;
            if (multiline) {
                flags |= Pattern.DOTALL | Pattern.MULTILINE;
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex, flags);
            } catch (PatternSyntaxException e) {
                return ToolResult.error("invalid regex: " + e.getDescription() + " in " + regex);
            }
            Long c = Input.optionalLong(input, "-C");
            Long b = Input.optionalLong(input, "-B");
            Long a = Input.optionalLong(input, "-A");
            int before = (int) Math.max(0, Math.min(1000, b != null ? b : c != null ? c : 0));
            int after = (int) Math.max(0, Math.min(1000, a != null ? a : c != null ? c : 0));
            Long headLimit = Input.optionalLong(input, "head_limit");
            if (headLimit != null && headLimit <= 0) {
                headLimit = null;
            }
            Options opts = new Options(pattern, multiline, mode, before, after,
                    Input.optionalBoolean(input, "-n", true), headLimit);

            Set<String> extensions = null;
            if (type != null && !type.isBlank()) {
                extensions = TYPES.get(type.trim().toLowerCase(java.util.Locale.ROOT));
                if (extensions == null) {
                    return ToolResult.error("unknown type: " + type + " (known: "
                            + String.join(", ", new java.util.TreeSet<>(TYPES.keySet())) + "); or use glob");
                }
            }
            List<PathMatcher> globs = glob == null || glob.isBlank() ? null : globMatchers(glob);

            Path base = PathGuard.resolve(context, rawPath == null || rawPath.isBlank() ? "." : rawPath);
            List<FileWalk.Entry> files;
            if (Files.isDirectory(base)) {
                files = FileWalk.files(base);
            } else if (Files.isRegularFile(base)) {
                files = List.of(new FileWalk.Entry(base, base.getFileName().toString(),
                        Files.getLastModifiedTime(base).toMillis(), Files.size(base)));
            } else {
                return ToolResult.error("path does not exist: " + rawPath);
            }
            List<FileWalk.Entry> candidates = new ArrayList<>();
            for (FileWalk.Entry e : files) {
                if (e.size() > MAX_FILE_BYTES || !typeMatches(e, extensions) || !globMatches(e, globs)) {
                    continue;
                }
                candidates.add(e);
            }
            return search(candidates, opts);
        } catch (BadInput e) {
            return ToolResult.error(e.getMessage());
        } catch (IOException e) {
            return ToolResult.error("cannot search: " + e);
        }
    }

    private static ToolResult search(List<FileWalk.Entry> candidates, Options opts) {
        if (opts.mode().equals("files_with_matches")) {
            FileWalk.sortByMtime(candidates);
        } else {
            candidates.sort((x, y) -> x.relative().compareTo(y.relative()));
        }
        List<String> out = new ArrayList<>();
        long limit = opts.headLimit() == null ? Long.MAX_VALUE : opts.headLimit();
        boolean cut = false;
        int matchedFiles = 0;
        long totalMatches = 0;
        for (FileWalk.Entry e : candidates) {
            if (out.size() >= limit) {
                cut = true;
                break;
            }
            String text = readText(e.path());
            if (text == null) {
                continue;
            }
            String[] lines = text.split("\r?\n", -1);
            int lineCount = text.endsWith("\n") ? lines.length - 1 : lines.length;
            boolean[] hit = new boolean[Math.max(lineCount, 1)];
            int matches = matchLines(text, lines, lineCount, hit, opts);
            if (matches == 0) {
                continue;
            }
            matchedFiles++;
            totalMatches += matches;
            String shown = e.path().toString();
            switch (opts.mode()) {
                case "files_with_matches" -> out.add(shown);
                case "count" -> out.add(shown + ":" + matches);
                default -> cut |= content(shown, lines, lineCount, hit, opts, out, limit);
            }
        }
        if (out.size() > limit) {
            out = out.subList(0, (int) limit);
            cut = true;
        }
        if (out.isEmpty()) {
            return ToolResult.ok(opts.mode().equals("count") ? "No matches found" : "No files found");
        }
        StringBuilder sb = new StringBuilder();
        if (opts.mode().equals("files_with_matches")) {
            sb.append("Found ").append(matchedFiles).append(matchedFiles == 1 ? " file" : " files")
                    .append(cut ? " (or more)" : "").append('\n');
        }
        for (String line : out) {
            sb.append(line).append('\n');
        }
        if (opts.mode().equals("count") && !cut) {
            sb.append("\nFound ").append(totalMatches).append(" total ")
                    .append(totalMatches == 1 ? "occurrence" : "occurrences").append(" across ")
                    .append(matchedFiles).append(matchedFiles == 1 ? " file." : " files.").append('\n');
        }
        if (cut) {
            sb.append("(results cut at head_limit=").append(limit).append(")\n");
        }
        return ToolResult.ok(sb.toString());
    }

    /** Marks matching lines; returns the number of matches (per line, or per match when multiline). */
    private static int matchLines(String text, String[] lines, int lineCount, boolean[] hit, Options opts) {
        int matches = 0;
        if (!opts.multiline()) {
            for (int i = 0; i < lineCount; i++) {
                if (opts.pattern().matcher(lines[i]).find()) {
                    hit[i] = true;
                    matches++;
                }
            }
            return matches;
        }
        int[] starts = lineStarts(text);
        Matcher m = opts.pattern().matcher(text);
        while (m.find()) {
            matches++;
            int first = lineOf(starts, m.start());
            int last = lineOf(starts, Math.max(m.start(), m.end() - 1));
            for (int i = first; i <= last && i < hit.length; i++) {
                hit[i] = true;
            }
            if (m.end() == m.start() && m.end() >= text.length()) {
                break;
            }
        }
        return matches;
    }

    /** Appends rg-style content lines; returns true when the limit cut it short. */
    private static boolean content(String path, String[] lines, int lineCount, boolean[] hit, Options opts,
            List<String> out, long limit) {
        boolean[] show = new boolean[lineCount];
        for (int i = 0; i < lineCount; i++) {
            if (hit[i]) {
                for (int j = Math.max(0, i - opts.before()); j <= Math.min(lineCount - 1, i + opts.after()); j++) {
                    show[j] = true;
                }
            }
        }
        boolean context = opts.before() > 0 || opts.after() > 0;
        int lastShown = -1;
        for (int j = 0; j < lineCount; j++) {
            if (!show[j]) {
                continue;
            }
            if (out.size() >= limit) {
                return true;
            }
            if (context && lastShown >= 0 && j > lastShown + 1) {
                out.add("--");
            }
            char sep = hit[j] ? ':' : '-';
            out.add(path + sep + (opts.lineNumbers() ? (j + 1) + String.valueOf(sep) : "") + lines[j]);
            lastShown = j;
        }
        return false;
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        int[] out = new int[starts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = starts.get(i);
        }
        return out;
    }

    private static int lineOf(int[] starts, int offset) {
        int i = java.util.Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    /** The file's text, or null for binary files (NUL in the first 8 KiB) and unreadable ones. */
    private static String readText(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (Read.looksBinary(in)) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean typeMatches(FileWalk.Entry e, Set<String> extensions) {
        if (extensions == null) {
            return true;
        }
        String name = e.path().getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 && extensions.contains(name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
    }

    /** Like rg --glob: a glob without a slash matches the file name, one with a slash the relative path. */
    private static List<PathMatcher> globMatchers(String glob) throws BadInput {
        return Glob.matchers(glob);
    }

    private static boolean globMatches(FileWalk.Entry e, List<PathMatcher> globs) {
        if (globs == null) {
            return true;
        }
        Path rel = Path.of(e.relative());
        Path name = e.path().getFileName();
        for (PathMatcher m : globs) {
            if (m.matches(rel) || m.matches(name)) {
                return true;
            }
        }
        return false;
    }
}
