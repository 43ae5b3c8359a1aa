package io.nanoclaw.runner.prompt;

import io.nanoclaw.runner.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a CLAUDE.md with its {@code @path} imports expanded, the recipe of agent-runner.md 2.5: a line that is
 * only {@code @path} is replaced by that file's (expanded) text; paths are relative to the importing file
 * ({@code ~/} means the home folder); missing files become empty; a file already being expanded is not expanded
 * again, so cycles end. Size and depth are capped so a runaway import can't fill the prompt.
 */
public final class ClaudeMdImports {
    private static final Pattern IMPORT = Pattern.compile("^@(\\S+)\\s*$");
    private static final int MAX_DEPTH = 5;
    static final int MAX_CHARS = 200_000;

    private final Path home;

    public ClaudeMdImports(Path home) {
        this.home = home;
    }

    /** The expanded text, or "" when the file is missing or unreadable. */
    public String read(Path file) {
        StringBuilder out = new StringBuilder();
        expand(file.toAbsolutePath().normalize(), new HashSet<>(), 0, out);
        if (out.length() > MAX_CHARS) {
            Log.warn("prompt", file + " expands to " + out.length() + " characters; cut to " + MAX_CHARS);
            out.setLength(MAX_CHARS);
        }
        return out.toString().strip();
    }

    private void expand(Path file, Set<Path> open, int depth, StringBuilder out) {
        if (depth > MAX_DEPTH || !open.add(file) || out.length() > MAX_CHARS) {
            return;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            open.remove(file);
            return;
        } catch (IOException e) {
            Log.warn("prompt", "cannot read " + file + ": " + Log.describe(e));
            open.remove(file);
            return;
        }
        boolean inFence = false;
        // split without the empty piece after a final newline, so an imported file adds no blank line
        for (String line : text.split("\n")) {
            if (line.startsWith("```")) {
                inFence = !inFence; // an @line inside a code block is an example, not an import
            }
            Matcher m = inFence ? null : IMPORT.matcher(line);
            if (m != null && m.matches()) {
                expand(resolve(file, m.group(1)), open, depth + 1, out);
            } else {
                out.append(line).append('\n');
            }
        }
        open.remove(file);
    }

    private Path resolve(Path importing, String ref) {
        Path p;
        if (ref.startsWith("~/") && home != null) {
            p = home.resolve(ref.substring(2));
        } else {
            p = importing.getParent().resolve(ref);
        }
        return p.toAbsolutePath().normalize();
    }
}
