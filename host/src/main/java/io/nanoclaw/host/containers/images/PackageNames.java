package io.nanoclaw.host.containers.images;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The package names an agent may ask for (agent-runner.md 3.5). They end up in a shell command inside an image
 * build, so these shapes are the only thing that stands between a request and arbitrary commands: no spaces, no
 * quotes, no leading dash, no version or URL syntax.
 */
public final class PackageNames {
    public static final Pattern APT = Pattern.compile("^[a-z0-9][a-z0-9._+-]*$");
    public static final Pattern NPM = Pattern.compile("^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$");
    public static final int MAX_PER_REQUEST = 20;
    /** Far above any real need; keeps a runaway loop of requests from making one enormous RUN line. */
    static final int MAX_INSTALLED = 200;
    private static final int MAX_NAME = 214;

    private PackageNames() {}

    /** A request from an agent: 1-20 names in total, each well-formed, none twice in one list. */
    public static void validateRequest(List<String> apt, List<String> npm) {
        int total = size(apt) + size(npm);
        if (total == 0) {
            throw new IllegalArgumentException("no packages requested: name 1 to " + MAX_PER_REQUEST
                    + " apt or npm packages");
        }
        if (total > MAX_PER_REQUEST) {
            throw new IllegalArgumentException("too many packages: " + total + " requested, at most "
                    + MAX_PER_REQUEST + " per request");
        }
        validateNames(apt, npm);
    }

    /** Only the shapes and duplicates; used for what is already stored too, since it goes into the same command. */
    public static void validateNames(List<String> apt, List<String> npm) {
        check("apt", APT, apt);
        check("npm", NPM, npm);
    }

    private static void check(String kind, Pattern shape, List<String> names) {
        if (names == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n == null || n.length() > MAX_NAME || !shape.matcher(n).matches()) {
                throw new IllegalArgumentException("invalid " + kind + " package name '" + printable(n)
                        + "': it must match " + shape.pattern());
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("duplicate " + kind + " package '" + n + "'");
            }
        }
    }

    private static int size(List<String> l) {
        return l == null ? 0 : l.size();
    }

    /** An agent's bad name goes back into a message: keep it short and free of control characters. */
    private static String printable(String n) {
        if (n == null) {
            return "null";
        }
        String s = n.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
