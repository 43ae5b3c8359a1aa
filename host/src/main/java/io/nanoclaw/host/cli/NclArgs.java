package io.nanoclaw.host.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reading typed values out of a command's arguments, each with one clear invalid-args message. */
public final class NclArgs {
    private NclArgs() {}

    static String flag(String key) {
        return "--" + key.replace('_', '-');
    }

    /** A whole number within bounds, or null when absent. */
    public static Integer integer(NclCall call, String key, int min, int max) throws NclException {
        String v = call.optional(key);
        if (v == null) {
            return null;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new NclException(NclException.INVALID_ARGS, flag(key) + " must be a whole number from " + min
                    + " to " + max + ", not '" + v + "'");
        }
    }

    /** A decimal number within bounds, or null when absent. */
    public static Double decimal(NclCall call, String key, double min, double max) throws NclException {
        String v = call.optional(key);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min && d <= max)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new NclException(NclException.INVALID_ARGS, flag(key) + " must be a number from " + min + " to "
                    + max + ", not '" + v + "'");
        }
    }

    /** true/false (also yes/no, 1/0; a bare flag is true), or null when absent. */
    public static Boolean bool(NclCall call, String key) throws NclException {
        String v = call.optional(key);
        if (v == null) {
            return null;
        }
        return switch (v.trim().toLowerCase()) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new NclException(NclException.INVALID_ARGS, flag(key) + " must be true or false, not '"
                    + v + "'");
        };
    }

    /** One of the given values, or null when absent. */
    public static String oneOf(NclCall call, String key, String... values) throws NclException {
        String v = call.optional(key);
        if (v == null) {
            return null;
        }
        if (!Arrays.asList(values).contains(v)) {
            throw new NclException(NclException.INVALID_ARGS, flag(key) + " must be one of " + String.join(", ",
                    values) + ", not '" + v + "'");
        }
        return v;
    }

    /** A list given as "a,b c" (commas or spaces); empty when absent. */
    public static List<String> list(NclCall call, String key) {
        String v = call.optional(key);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v.split("[,\\s]+")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }

    /** The Levenshtein distance, for did-you-mean. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The closest candidate within a small distance, or null. */
    public static String closest(String word, Iterable<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        int allowed = Math.max(2, word.length() / 3);
        return bestD <= allowed ? best : null;
    }
}
