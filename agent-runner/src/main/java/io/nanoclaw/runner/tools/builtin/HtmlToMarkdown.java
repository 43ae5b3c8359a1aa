package io.nanoclaw.runner.tools.builtin;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a web page into Markdown-ish text for the model: headings, paragraphs, links as {@code [text](href)}, lists,
 * tables as pipe rows, {@code pre} as fenced code; scripts, styles, navigation and hidden parts are dropped.
 *
 * <p>Hand-written on purpose: the runner is a GraalVM native image with a small memory budget, and an HTML parser
 * plus a Markdown converter (jsoup, flexmark) would add megabytes to the image and a DOM per page to the heap, for
 * text the model only skims. This is a single pass over the tags that tolerates tag soup (unclosed {@code p} and
 * {@code li}, stray end tags); it does not aim at a faithful rendering.
 */
final class HtmlToMarkdown {
    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input",
            "link", "meta", "param", "source", "track", "wbr");
    /** Elements whose content is noise to a reader of the page's text. */
    private static final Set<String> SKIP = Set.of("head", "script", "style", "noscript", "template", "svg", "math",
            "iframe", "object", "canvas", "nav", "select", "button", "dialog");
    /** Separated from their neighbours by a blank line. */
    private static final Set<String> PARAGRAPH = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
            "table", "section", "article", "main", "header", "footer", "aside", "figure", "details", "form",
            "fieldset", "dl", "ul", "ol", "address", "center");
    /** Start on a line of their own. */
    private static final Set<String> LINE = Set.of("div", "li", "tr", "dt", "dd", "figcaption", "summary", "caption",
            "legend", "option", "label");
    /** An open {@code p} ends where one of these starts (HTML's implied end tags). */
    private static final Set<String> CLOSES_P = Set.of("p", "div", "ul", "ol", "table", "pre", "blockquote", "h1",
            "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "aside", "form", "dl", "hr",
            "figure", "details", "address", "main", "fieldset");

    /** An open element and the text written inside it so far. */
    private static final class Element {
        final String tag;
        final Map<String, String> attrs;
        final StringBuilder out = new StringBuilder();
        final boolean skip;
        int cells;
        boolean headerCells;
        int items;

        Element(String tag, Map<String, String> attrs, boolean skip) {
            this.tag = tag;
            this.attrs = attrs;
            this.skip = skip;
        }
    }

    private final Deque<Element> stack = new ArrayDeque<>();
    private URI base;
    private String title;
    private int skipDepth;
    private int preDepth;
    private int tableRows;

    private HtmlToMarkdown(URI base) {
        this.base = base;
        stack.push(new Element("#root", Map.of(), false));
    }

    /** @param base the page's URL, against which relative links are resolved (null leaves them as written) */
    static String convert(String html, URI base) {
        HtmlToMarkdown c = new HtmlToMarkdown(base);
        c.parse(html);
        while (c.stack.size() > 1) {
            c.close();
        }
        return c.finish(c.stack.peek().out.toString());
    }

    private void parse(String html) {
        int i = 0;
        int n = html.length();
        while (i < n) {
            int lt = html.indexOf('<', i);
            if (lt < 0) {
                text(html.substring(i));
                break;
            }
            if (lt > i) {
                text(html.substring(i, lt));
            }
            if (html.startsWith("<!--", lt)) {
                int end = html.indexOf("-->", lt + 4);
                i = end < 0 ? n : end + 3;
            } else if (lt + 1 < n && (html.charAt(lt + 1) == '!' || html.charAt(lt + 1) == '?')) {
                int end = html.indexOf('>', lt);
                i = end < 0 ? n : end + 1;
            } else if (lt + 1 < n && (Character.isLetter(html.charAt(lt + 1))
                    || (html.charAt(lt + 1) == '/' && lt + 2 < n && Character.isLetter(html.charAt(lt + 2))))) {
                i = tag(html, lt);
            } else {
                text("<");
                i = lt + 1;
            }
        }
    }

    /** Reads the tag at {@code lt}; returns where the text after it starts. */
    private int tag(String html, int lt) {
        boolean closing = html.charAt(lt + 1) == '/';
        int p = lt + (closing ? 2 : 1);
        int nameStart = p;
        while (p < html.length() && (Character.isLetterOrDigit(html.charAt(p)) || html.charAt(p) == '-'
                || html.charAt(p) == ':')) {
            p++;
        }
        String name = html.substring(nameStart, p).toLowerCase(Locale.ROOT);
        int end = tagEnd(html, p);
        if (end < 0) {
            text(html.substring(lt));
            return html.length();
        }
        if (closing) {
            endTag(name);
            return end + 1;
        }
        Map<String, String> attrs = attributes(html.substring(p, end));
        if (name.equals("script") || name.equals("style") || name.equals("title") || name.equals("textarea")) {
            // raw text: everything up to the matching end tag, markup or not
            int close = indexOfIgnoreCase(html, "</" + name, end + 1);
            int after = close < 0 ? html.length() : Math.max(html.indexOf('>', close) + 1, close + 2);
            String raw = html.substring(end + 1, close < 0 ? html.length() : close);
            if (name.equals("title") && title == null) {
                title = collapse(HtmlEntities.decode(raw)).strip();
            } else if (name.equals("textarea") && skipDepth == 0) {
                text(raw);
            }
            return after;
        }
        startTag(name, attrs, html.charAt(end - 1) == '/');
        return end + 1;
    }

    private void startTag(String name, Map<String, String> attrs, boolean selfClosing) {
        if (name.equals("base") && attrs.get("href") != null && base != null) {
            base = safeUri(resolve(attrs.get("href")), base);
            return;
        }
        if (skipDepth > 0) {
            if (!VOID.contains(name) && !selfClosing) {
                push(name, attrs, true);
            }
            return;
        }
        impliedEnds(name);
        switch (name) {
            case "br" -> {
                trimTrailingSpaces(current());
                current().append('\n');
                return;
            }
            case "hr" -> {
                block(current(), "---", 2);
                return;
            }
            case "img" -> {
                String alt = attrs.get("alt");
                if (alt != null && !alt.isBlank()) {
                    String src = attrs.get("src");
                    appendText(current(), src == null || src.isBlank()
                            ? collapse(alt).strip()
                            : "![" + collapse(alt).strip() + "](" + resolve(src) + ")");
                }
                return;
            }
            default -> { }
        }
        if (VOID.contains(name) || selfClosing) {
            return;
        }
        boolean hidden = attrs.containsKey("hidden") || "true".equalsIgnoreCase(attrs.get("aria-hidden"));
        push(name, attrs, SKIP.contains(name) || hidden);
    }

    private void push(String name, Map<String, String> attrs, boolean skip) {
        Element e = new Element(name, attrs, skip);
        stack.push(e);
        if (skip) {
            skipDepth++;
        }
        if (name.equals("pre")) {
            preDepth++;
        }
    }

    /** HTML's implied end tags for the soup real pages contain. */
    private void impliedEnds(String name) {
        Element top = stack.peek();
        if (CLOSES_P.contains(name) && top.tag.equals("p")) {
            close();
        }
        switch (name) {
            case "li" -> closeOpen("li", Set.of("ul", "ol"));
            case "dt", "dd" -> {
                closeOpen("dt", Set.of("dl"));
                closeOpen("dd", Set.of("dl"));
            }
            case "tr" -> closeOpen("tr", Set.of("table", "thead", "tbody", "tfoot"));
            case "td", "th" -> {
                closeOpen("td", Set.of("tr", "table"));
                closeOpen("th", Set.of("tr", "table"));
            }
            case "option" -> closeOpen("option", Set.of("select"));
            default -> { }
        }
    }

    /** Closes an open {@code tag} (and what is open inside it) unless a {@code boundary} element comes first. */
    private void closeOpen(String tag, Set<String> boundary) {
        for (Element e : stack) {
            if (e.tag.equals(tag)) {
                endTag(tag);
                return;
            }
            if (boundary.contains(e.tag) || e.tag.equals("#root")) {
                return;
            }
        }
    }

    private void endTag(String name) {
        boolean open = false;
        for (Element e : stack) {
            if (e.tag.equals(name)) {
                open = true;
                break;
            }
        }
        if (!open) {
            return; // a stray end tag
        }
        while (true) {
            String closed = stack.peek().tag;
            close();
            if (closed.equals(name)) {
                return;
            }
        }
    }

    /** Pops the top element and writes its content, transformed, into its parent. */
    private void close() {
        Element e = stack.pop();
        if (e.skip) {
            skipDepth--;
        }
        if (e.tag.equals("pre")) {
            preDepth--;
        }
        if (e.skip || skipDepth > 0) {
            return;
        }
        Element parent = stack.peek();
        StringBuilder out = parent.out;
        String content = e.out.toString();
        switch (e.tag) {
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                String text = oneLine(content);
                if (!text.isEmpty()) {
                    block(out, "#".repeat(e.tag.charAt(1) - '0') + " " + text, 2);
                }
            }
            case "a" -> link(out, content, e.attrs.get("href"));
            case "strong", "b" -> wrap(out, content, "**");
            case "em", "i" -> wrap(out, content, "*");
            case "code", "kbd", "samp", "tt" -> wrap(out, content, preDepth > 0 ? "" : "`");
            case "pre" -> {
                String code = content.replaceFirst("^\n", "").stripTrailing();
                if (!code.isBlank()) {
                    block(out, "```\n" + code + "\n```", 2);
                }
            }
            case "blockquote" -> block(out, prefixLines(content.strip(), "> "), 2);
            case "li" -> listItem(parent, content);
            case "ul", "ol" -> block(out, content, insideListItem() ? 1 : 2);
            case "td", "th" -> cell(parent, content, e.tag.equals("th"));
            case "tr" -> row(out, e, content);
            case "table" -> {
                tableRows = 0;
                block(out, content, 2);
            }
            default -> {
                if (PARAGRAPH.contains(e.tag)) {
                    block(out, content, 2);
                } else if (LINE.contains(e.tag)) {
                    block(out, content, 1);
                } else {
                    appendText(out, content); // inline: span, small, label, ...
                }
            }
        }
    }

    private void text(String raw) {
        if (skipDepth > 0 || raw.isEmpty()) {
            return;
        }
        String decoded = HtmlEntities.decode(raw);
        if (preDepth > 0) {
            current().append(decoded);
        } else {
            appendText(current(), collapse(decoded));
        }
    }

    private StringBuilder current() {
        return stack.peek().out;
    }

    private void link(StringBuilder out, String content, String href) {
        String text = oneLine(content);
        if (text.isEmpty()) {
            return;
        }
        String target = href == null ? "" : href.strip();
        if (target.isEmpty() || target.startsWith("#") || target.regionMatches(true, 0, "javascript:", 0, 11)) {
            appendText(out, spaced(content, text));
            return;
        }
        appendText(out, spaced(content, "[" + text + "](" + resolve(target) + ")"));
    }

    private static void wrap(StringBuilder out, String content, String mark) {
        String text = content.strip();
        if (text.isEmpty()) {
            appendText(out, content.isEmpty() ? "" : " ");
            return;
        }
        appendText(out, spaced(content, mark + text + mark));
    }

    /** Keeps the spaces that were inside an inline element around its replacement ("a<b> bold</b>" needs one). */
    private static String spaced(String content, String replacement) {
        boolean lead = !content.isEmpty() && Character.isWhitespace(content.charAt(0));
        boolean trail = !content.isEmpty() && Character.isWhitespace(content.charAt(content.length() - 1));
        return (lead ? " " : "") + replacement + (trail ? " " : "");
    }

    private void listItem(Element parent, String content) {
        Element list = null;
        for (Element e : stack) {
            if (e.tag.equals("ul") || e.tag.equals("ol")) {
                list = e;
                break;
            }
        }
        String text = content.strip();
        if (text.isEmpty()) {
            return;
        }
        String marker;
        if (list != null && list.tag.equals("ol")) {
            list.items++;
            marker = list.items + ". ";
        } else {
            marker = "- ";
        }
        String indent = " ".repeat(marker.length());
        block(parent.out, marker + prefixLines(text, indent).substring(indent.length()), 1);
    }

    private boolean insideListItem() {
        for (Element e : stack) {
            if (e.tag.equals("li")) {
                return true;
            }
        }
        return false;
    }

    private static void cell(Element row, String content, boolean header) {
        String text = oneLine(content).replace("|", "\\|");
        if (row.cells > 0) {
            row.out.append(" | ");
        }
        row.out.append(text);
        row.cells++;
        row.headerCells |= header;
    }

    private void row(StringBuilder out, Element tr, String content) {
        if (tr.cells == 0) {
            block(out, content, 1);
            return;
        }
        String line = "| " + content.strip() + " |";
        if (tableRows == 0 && tr.headerCells) {
            line += "\n|" + " --- |".repeat(tr.cells);
        }
        tableRows++;
        block(out, line, 1);
    }

    /** Writes a block on its own line(s), {@code breaks} newlines away from what came before and after. */
    private static void block(StringBuilder out, String content, int breaks) {
        String text = content.strip();
        if (text.isEmpty()) {
            return;
        }
        lineBreaks(out, breaks);
        out.append(text);
        lineBreaks(out, breaks);
    }

    private static void lineBreaks(StringBuilder out, int breaks) {
        trimTrailingSpaces(out);
        if (out.length() == 0) {
            return;
        }
        int have = 0;
        while (have < out.length() && out.charAt(out.length() - 1 - have) == '\n') {
            have++;
        }
        for (int k = have; k < breaks; k++) {
            out.append('\n');
        }
    }

    private static void trimTrailingSpaces(StringBuilder out) {
        int len = out.length();
        while (len > 0 && (out.charAt(len - 1) == ' ' || out.charAt(len - 1) == '\t')) {
            len--;
        }
        out.setLength(len);
    }

    /** Appends inline text; a space at the start of a line or after another space is dropped. */
    private static void appendText(StringBuilder out, String text) {
        if (text.isEmpty()) {
            return;
        }
        char last = out.length() == 0 ? '\n' : out.charAt(out.length() - 1);
        if ((last == ' ' || last == '\n') && text.charAt(0) == ' ') {
            text = text.stripLeading();
        }
        out.append(text);
    }

    private static String collapse(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00A0') {
                if (!space) {
                    sb.append(' ');
                    space = true;
                }
            } else {
                sb.append(c);
                space = false;
            }
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        return collapse(s).strip();
    }

    private static String prefixLines(String text, String prefix) {
        StringBuilder sb = new StringBuilder();
        Iterator<String> lines = text.lines().iterator();
        while (lines.hasNext()) {
            String line = lines.next();
            sb.append(line.isEmpty() ? prefix.stripTrailing() : prefix + line);
            if (lines.hasNext()) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private String resolve(String href) {
        String h = href.strip();
        if (base == null) {
            return h;
        }
        try {
            return base.resolve(h.replace(" ", "%20")).toString();
        } catch (IllegalArgumentException e) {
            return h;
        }
    }

    private static URI safeUri(String s, URI fallback) {
        try {
            URI u = URI.create(s);
            return u.isAbsolute() ? u : fallback;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private String finish(String body) {
        StringBuilder sb = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            sb.append(line.stripTrailing()).append('\n');
        }
        String text = sb.toString().replaceAll("\n{3,}", "\n\n").strip();
        if (title != null && !title.isEmpty() && !text.startsWith("# ") && !text.contains("\n# ")) {
            text = "# " + title + (text.isEmpty() ? "" : "\n\n" + text);
        }
        return text;
    }

    /** The end of a tag starting before {@code from}: the next {@code >} outside quotes, or -1. */
    private static int tagEnd(String html, int from) {
        char quote = 0;
        for (int i = from; i < html.length(); i++) {
            char c = html.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> attributes(String s) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == '/')) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=' && s.charAt(i) != '/') {
                i++;
            }
            if (i == start) {
                i++;
                continue;
            }
            String name = s.substring(start, i).toLowerCase(Locale.ROOT);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String value = "";
            if (i < n && s.charAt(i) == '=') {
                i++;
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                    char q = s.charAt(i);
                    int close = s.indexOf(q, i + 1);
                    close = close < 0 ? n : close;
                    value = s.substring(i + 1, close);
                    i = close + 1;
                } else {
                    int vs = i;
                    while (i < n && !Character.isWhitespace(s.charAt(i))) {
                        i++;
                    }
                    value = s.substring(vs, i);
                }
            }
            out.putIfAbsent(name, HtmlEntities.decode(value));
        }
        return out;
    }

    private static int indexOfIgnoreCase(String s, String needle, int from) {
        int n = needle.length();
        for (int i = Math.max(0, from); i + n <= s.length(); i++) {
            if (s.regionMatches(true, i, needle, 0, n)) {
                return i;
            }
        }
        return -1;
    }
}
