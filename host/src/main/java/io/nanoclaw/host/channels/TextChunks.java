package io.nanoclaw.host.channels;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text longer than a platform's limit (host.md 8.2): at the last paragraph break that fits, else the last
 * line break, else the last space, else hard at the limit (never inside a surrogate pair). Chunks keep their text
 * as written apart from the break they were split at.
 */
public final class TextChunks {
    private TextChunks() {}

    public static List<String> split(String text, int limit) {
        List<String> out = new ArrayList<>();
        String rest = text == null ? "" : text;
        while (rest.length() > limit) {
            int cut = cutPoint(rest, limit);
            String head = rest.substring(0, cut).stripTrailing();
            if (!head.isEmpty()) {
                out.add(head);
            }
            rest = stripLeadingBreaks(rest.substring(cut));
        }
        if (!rest.isEmpty() || out.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    private static int cutPoint(String s, int limit) {
        String window = s.substring(0, limit + 1); // callers pass s longer than limit
        for (String sep : new String[] {"\n\n", "\n", " "}) {
            int at = window.lastIndexOf(sep, limit);
            if (at > 0) {
                return at;
            }
        }
        int cut = limit;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return cut;
    }

    private static String stripLeadingBreaks(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == '\n' || s.charAt(i) == ' ')) {
            i++;
        }
        return s.substring(i);
    }
}
