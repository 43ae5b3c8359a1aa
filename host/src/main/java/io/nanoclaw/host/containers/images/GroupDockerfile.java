package io.nanoclaw.host.containers.images;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Dockerfile of an agent group's image, as a pure function of its inputs so the text can be tested without an
 * engine. The names must have passed {@link PackageNames}: they are written into a shell command unquoted.
 */
public final class GroupDockerfile {
    /** What the agent user is in the base image (Dockerfile.agent); the runner must not run as root. */
    static final String AGENT_USER = "1000:1000";

    private GroupDockerfile() {}

    /**
     * @param base   the agent image to start from, present locally
     * @param apt    apt packages (any order; written sorted, so the same set gives the same file)
     * @param npm    npm packages, installed globally with Debian's nodejs and npm
     * @param labels image labels, written sorted
     */
    public static String render(String base, List<String> apt, List<String> npm, Map<String, String> labels) {
        SortedSet<String> aptSet = new TreeSet<>(apt);
        SortedSet<String> npmSet = new TreeSet<>(npm);
        StringBuilder d = new StringBuilder();
        d.append("FROM ").append(base).append('\n');
        // Labels first: then the intermediate images a failed build leaves behind carry them too, and the cleanup
        // finds them by label.
        if (!labels.isEmpty()) {
            d.append("LABEL");
            new TreeMap<>(labels).forEach((k, v) -> d.append(' ').append(quote(k)).append('=').append(quote(v)));
            d.append('\n');
        }
        d.append("USER root\n");
        if (!npmSet.isEmpty()) {
            // Debian's own Node.js: no extra repository, and the same mirror the apt packages come from.
            aptSet.add("nodejs");
            aptSet.add("npm");
        }
        if (!aptSet.isEmpty()) {
            // One layer: the package lists and npm's cache are deleted in the same step that fetched them, so they
            // never reach the image.
            List<String> steps = new ArrayList<>();
            steps.add("apt-get update");
            steps.add("DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
                    + String.join(" ", aptSet));
            if (!npmSet.isEmpty()) {
                steps.add("npm install -g --no-audit --no-fund " + String.join(" ", npmSet));
            }
            steps.add("rm -rf /var/lib/apt/lists/*" + (npmSet.isEmpty() ? "" : " /root/.npm"));
            d.append("RUN ").append(String.join(" \\\n && ", steps)).append('\n');
        }
        d.append("USER ").append(AGENT_USER).append('\n');
        return d.toString();
    }

    /** A Dockerfile string literal (LABEL accepts the JSON-like double-quoted form). */
    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\');
            }
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("line break in a label: " + s);
            }
            q.append(c);
        }
        return q.append('"').toString();
    }
}
