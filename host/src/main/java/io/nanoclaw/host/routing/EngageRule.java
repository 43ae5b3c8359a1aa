package io.nanoclaw.host.routing;

import io.nanoclaw.host.entities.Wiring;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Does a message engage a wiring's agent? (host.md 4.5) */
final class EngageRule {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(EngageRule.class);

    private EngageRule() {}

    static boolean engages(Wiring w, String text, boolean isMention, boolean stickySessionExists) {
        return switch (w.engageMode()) {
            case "pattern" -> matchesPattern(w.engagePattern(), text);
            case "mention" -> isMention;
            case "mention-sticky" -> isMention || stickySessionExists;
            default -> false;
        };
    }

    /** `.` or no pattern always matches; an invalid regex matches too, as in the original. */
    static boolean matchesPattern(String pattern, String text) {
        if (pattern == null || pattern.isEmpty() || pattern.equals(".")) {
            return true;
        }
        try {
            return Pattern.compile(pattern).matcher(text == null ? "" : text).find();
        } catch (PatternSyntaxException e) {
            LOG.warnf("wiring pattern '%s' is not a valid regex (%s); it matches every message until fixed",
                    pattern, e.getDescription());
            return true;
        }
    }
}
