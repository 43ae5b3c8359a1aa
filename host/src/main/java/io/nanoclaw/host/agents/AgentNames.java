package io.nanoclaw.host.agents;

import java.util.Locale;

/**
 * Names of agents made by create_agent: the name the agent gave, and its slug, which is both the parent's
 * destination name for the child and the base of the child's folder (so it must fit AgentGroups.FOLDER).
 */
public final class AgentNames {
    public static final int MAX_NAME = 64;
    /** Room for a "-NN" suffix within the 64 characters a folder may have. */
    private static final int MAX_SLUG = 56;

    private AgentNames() {}

    /** @return why the name can't be used, or null when it can. */
    public static String problem(String name) {
        if (name == null || name.isBlank()) {
            return "the name is empty";
        }
        if (name.strip().length() > MAX_NAME) {
            return "the name is longer than " + MAX_NAME + " characters";
        }
        if (slug(name).isEmpty()) {
            return "the name needs at least one letter or digit (a-z, 0-9)";
        }
        return null;
    }

    /** Lower case, runs of anything but a-z and 0-9 become one '-', no '-' at either end; may be empty. */
    public static String slug(String name) {
        String v = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return v.length() > MAX_SLUG ? v.substring(0, MAX_SLUG).replaceAll("-+$", "") : v;
    }
}
