package io.nanoclaw.runner.format;

/**
 * The original's stripInternalTags: removes every {@code <internal>...</internal>} block (non-greedy, an unclosed
 * tag stays), then trims only the ends, so {@code a <internal>x</internal> b} becomes {@code a  b}. Written with
 * indexOf rather than a lazy regex so a long answer can't blow the regex engine's stack.
 */
public final class InternalTags {
    private static final String OPEN = "<internal>";
    private static final String CLOSE = "</internal>";

    private InternalTags() {}

    public static String strip(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length());
        int from = 0;
        while (true) {
            int open = text.indexOf(OPEN, from);
            int close = open < 0 ? -1 : text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                sb.append(text, from, text.length());
                break;
            }
            sb.append(text, from, open);
            from = close + CLOSE.length();
        }
        return jsTrim(sb);
    }

    /** JavaScript's String.prototype.trim: whitespace, line terminators, NBSP and BOM. */
    static String jsTrim(CharSequence s) {
        int start = 0;
        int end = s.length();
        while (start < end && isJsSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isJsSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.subSequence(start, end).toString();
    }

    private static boolean isJsSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }
}
