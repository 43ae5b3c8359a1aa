package io.nanoclaw.runner.dispatch;

import io.nanoclaw.runner.store.Destination;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one-time reminder when an answer delivered nothing (agent-runner.md 1.6): the agent wrote text outside any
 * {@code <message to>} block, or addressed a name that doesn't exist. It is sent back as the next user turn; the
 * answer to it is dispatched without a second nudge.
 */
public final class Nudge {
    private Nudge() {}

    public static String text(Dispatch d, List<Destination> destinations) {
        StringBuilder sb = new StringBuilder("<system>");
        if (!d.unknownNames().isEmpty()) {
            sb.append("Not delivered: ")
                    .append(d.unknownNames().stream().map(n -> "\"" + n + "\"").distinct()
                            .collect(Collectors.joining(", ")))
                    .append(d.unknownNames().size() == 1 ? " is not one of your destinations. " : " are not your "
                            + "destinations. ");
        } else {
            sb.append("Your last output was not delivered to anyone. ");
        }
        sb.append("Everything you want delivered must be inside <message to=\"name\">…</message> blocks; use "
                + "<internal>…</internal> for thoughts. ");
        if (destinations.isEmpty()) {
            sb.append("You have no destinations, so nothing can be delivered right now.");
        } else {
            sb.append("Your destinations: ")
                    .append(destinations.stream().map(x -> "`" + x.name() + "`").collect(Collectors.joining(", ")))
                    .append(". Please re-send what you meant to deliver.");
        }
        return sb.append("</system>").toString();
    }
}
