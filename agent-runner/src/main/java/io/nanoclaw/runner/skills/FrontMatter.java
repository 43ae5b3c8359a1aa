package io.nanoclaw.runner.skills;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YAML front matter of a SKILL.md, read by hand: skills use a tiny subset (top-level {@code key: value} with
 * plain, quoted or block values), and a YAML library would cost the native image size and start-up time for
 * nothing. Only top-level scalar keys are kept; nested values of other keys (metadata, allowed-tools lists) are
 * consumed and dropped.
 *
 * @param fields top-level keys with their scalar values
 * @param body   the text after the closing {@code ---} (the whole text when there is no front matter)
 */
record FrontMatter(Map<String, String> fields, String body) {

    /** A file whose front matter cannot be read; the catalog skips it. */
    static final class Garbled extends Exception {
        Garbled(String message) {
            super(message, null, false, false);
        }
    }

    private static final Pattern KEY = Pattern.compile("^([A-Za-z0-9_][A-Za-z0-9_.-]*)\\s*:(?:\\s+(.*)|\\s*)$");
    private static final Pattern BLOCK = Pattern.compile("^([|>])([+-]?)([1-9]?)([+-]?)\\s*(#.*)?$");

    static FrontMatter parse(String text) throws Garbled {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).strip().equals("---")) {
            return new FrontMatter(Map.of(), text);
        }
        int close = -1;
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).stripTrailing();
            if (l.equals("---") || l.equals("...")) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            throw new Garbled("the front matter has no closing ---");
        }
        Map<String, String> fields = fields(lines.subList(1, close));
        StringBuilder body = new StringBuilder();
        for (int i = close + 1; i < lines.size(); i++) {
            body.append(lines.get(i)).append('\n');
        }
        return new FrontMatter(fields, body.toString().strip() + "\n");
    }

    private static Map<String, String> fields(List<String> lines) throws Garbled {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                i++;
                continue;
            }
            Matcher m = KEY.matcher(line.stripTrailing());
            if (!m.matches()) {
                throw new Garbled("unexpected line in the front matter: " + abbreviate(line));
            }
            String key = m.group(1);
            String first = m.group(2) == null ? "" : m.group(2).strip();
            int end = i + 1;
            while (end < lines.size() && continues(lines.get(end))) {
                end++;
            }
            List<String> more = lines.subList(i + 1, end);
            String value = value(first, more);
            if (value != null) {
                out.putIfAbsent(key, value);
            }
            i = end;
        }
        return out;
    }

    /**
     * Whether a line belongs to the value above it: blank or indented lines (YAML), and also unindented lines that
     * are not a new key, which YAML rejects but hand-written skills contain (a description wrapped at column 0).
     */
    private static boolean continues(String line) {
        return line.isBlank() || Character.isWhitespace(line.charAt(0))
                || (!line.startsWith("#") && !KEY.matcher(line.stripTrailing()).matches());
    }

    /** A scalar value, or null when the key holds a list or a mapping (which we do not need). */
    private static String value(String first, List<String> more) throws Garbled {
        Matcher block = BLOCK.matcher(first);
        if (block.matches()) {
            return blockScalar(block.group(1).equals(">"), more);
        }
        if (first.isEmpty()) {
            String next = firstNonBlank(more);
            if (next == null) {
                return "";
            }
            if (next.startsWith("- ") || next.equals("-") || KEY.matcher(next).matches()) {
                return null; // a nested list or mapping
            }
        }
        if (first.startsWith("\"") || first.startsWith("'")) {
            return quoted(first, more);
        }
        return plain(first, more);
    }

    /** {@code >} folds lines into one paragraph (blank lines keep a line break); {@code |} keeps them. */
    private static String blockScalar(boolean folded, List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder sb = new StringBuilder();
        boolean lineBreakPending = false;
        for (String l : lines) {
            if (l.isBlank()) {
                if (sb.length() > 0) {
                    sb.append('\n');
                    lineBreakPending = true;
                }
                continue;
            }
            String text = l.substring(Math.min(indent, l.length())).stripTrailing();
            if (sb.length() > 0 && !lineBreakPending) {
                sb.append(folded ? ' ' : '\n');
            }
            sb.append(text);
            lineBreakPending = false;
        }
        return sb.toString().strip();
    }

    private static String plain(String first, List<String> more) {
        StringBuilder sb = new StringBuilder(stripComment(first));
        for (String l : more) {
            String t = stripComment(l.strip());
            if (!t.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(t);
            }
        }
        return sb.toString().strip();
    }

    /** In a plain YAML value, {@code " #"} starts a comment. */
    private static String stripComment(String s) {
        int hash = s.indexOf(" #");
        return (hash < 0 ? s : s.substring(0, hash)).strip();
    }

    /** A quoted value, which may run over several lines (joined with a space, as YAML folds them). */
    private static String quoted(String first, List<String> more) throws Garbled {
        char q = first.charAt(0);
        StringBuilder joined = new StringBuilder(first);
        List<String> rest = new ArrayList<>(more);
        while (closingQuote(joined, q) < 0 && !rest.isEmpty()) {
            String next = rest.remove(0).strip();
            if (!next.isEmpty()) {
                joined.append(' ').append(next);
            }
        }
        int closing = closingQuote(joined, q);
        if (closing < 0) {
            throw new Garbled("an unterminated quoted value: " + abbreviate(first));
        }
        String inner = joined.substring(1, closing);
        return q == '\'' ? inner.replace("''", "'") : unescape(inner);
    }

    private static int closingQuote(CharSequence s, char q) {
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (q == '"' && c == '\\') {
                i++;
            } else if (c == q) {
                if (q == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                default -> sb.append('\\').append(e);
            }
        }
        return sb.toString();
    }

    private static String firstNonBlank(List<String> lines) {
        for (String l : lines) {
            if (!l.isBlank()) {
                return l.strip();
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 60 ? t : t.substring(0, 60) + "…";
    }
}
