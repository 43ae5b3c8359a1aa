package io.nanoclaw.runner.tools.builtin;

import java.util.Map;

/**
 * Decodes HTML character references: numeric ones and the named ones that turn up in ordinary pages. An unknown
 * name is left as written (the text stays readable, which is all the model needs).
 */
final class HtmlEntities {
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", "\u00A0"), Map.entry("ndash", "\u2013"),
            Map.entry("mdash", "\u2014"), Map.entry("hellip", "\u2026"), Map.entry("lsquo", "\u2018"),
            Map.entry("rsquo", "\u2019"), Map.entry("ldquo", "\u201C"), Map.entry("rdquo", "\u201D"),
            Map.entry("laquo", "\u00AB"), Map.entry("raquo", "\u00BB"), Map.entry("bull", "\u2022"),
            Map.entry("middot", "\u00B7"), Map.entry("copy", "\u00A9"), Map.entry("reg", "\u00AE"),
            Map.entry("trade", "\u2122"), Map.entry("euro", "\u20AC"), Map.entry("pound", "\u00A3"),
            Map.entry("yen", "\u00A5"), Map.entry("cent", "\u00A2"), Map.entry("sect", "\u00A7"),
            Map.entry("para", "\u00B6"), Map.entry("deg", "\u00B0"), Map.entry("plusmn", "\u00B1"),
            Map.entry("times", "\u00D7"), Map.entry("divide", "\u00F7"), Map.entry("larr", "\u2190"),
            Map.entry("rarr", "\u2192"), Map.entry("uarr", "\u2191"), Map.entry("darr", "\u2193"),
            Map.entry("shy", ""), Map.entry("zwj", "\u200D"), Map.entry("zwnj", "\u200C"),
            Map.entry("thinsp", "\u2009"), Map.entry("ensp", "\u2002"), Map.entry("emsp", "\u2003"));

    private HtmlEntities() {}

    static String decode(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (amp >= 0) {
            sb.append(s, i, amp);
            int semi = s.indexOf(';', amp + 1);
            String decoded = semi > amp + 1 && semi - amp <= 12 ? reference(s.substring(amp + 1, semi)) : null;
            if (decoded == null) {
                sb.append('&');
                i = amp + 1;
            } else {
                sb.append(decoded);
                i = semi + 1;
            }
            amp = s.indexOf('&', i);
        }
        sb.append(s, i, s.length());
        return sb.toString();
    }

    private static String reference(String name) {
        if (name.startsWith("#")) {
            try {
                int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16)
                        : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\uFFFD";
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return NAMED.get(name);
    }
}
