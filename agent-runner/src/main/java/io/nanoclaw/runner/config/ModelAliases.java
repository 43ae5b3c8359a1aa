package io.nanoclaw.runner.config;

import java.util.Locale;
import java.util.Map;

/** The short model names container.json may use, mapped to Messages API model ids. */
public final class ModelAliases {
    public static final String DEFAULT_MODEL = "claude-sonnet-4-5";

    private static final Map<String, String> ALIASES = Map.of(
            "sonnet", "claude-sonnet-4-5",
            "opus", "claude-opus-4-1",
            "haiku", "claude-haiku-4-5");

    private ModelAliases() {}

    /** A full id passes through unchanged; blank gives the default. */
    public static String resolve(String model) {
        if (model == null || model.isBlank()) {
            return DEFAULT_MODEL;
        }
        String m = model.trim();
        return ALIASES.getOrDefault(m.toLowerCase(Locale.ROOT), m);
    }
}
