package io.nanoclaw.runner.prompt;

import io.nanoclaw.runner.store.Destination;
import java.util.List;

/**
 * The end of the system prompt (agent-runner.md 4.4): who the agent is, where it can send, and how. Built from the
 * destinations table, which changes only when wiring does, so the prompt stays byte-stable between changes.
 */
public final class DestinationsAddendum {
    private DestinationsAddendum() {}

    public static String build(String assistantName, List<Destination> destinations) {
        StringBuilder sb = new StringBuilder();
        if (assistantName != null && !assistantName.isBlank()) {
            sb.append("# You are ").append(assistantName).append("\n\n")
                    .append("Your name is ").append(assistantName).append(". Use it when asked who you are, when ")
                    .append("introducing yourself, and when signing a message.\n\n");
        }
        sb.append("## Sending messages\n\n");
        if (destinations.isEmpty()) {
            return sb.append("You have no configured destinations, so you cannot send messages to anyone until an ")
                    .append("admin wires one up. Anything you write stays internal.").toString();
        }
        if (destinations.size() == 1) {
            Destination d = destinations.get(0);
            sb.append("Your destination is ").append(describe(d)).append(".\n\n");
        } else {
            sb.append("Your destinations:\n");
            for (Destination d : destinations) {
                sb.append("- ").append(describe(d)).append('\n');
            }
            sb.append('\n');
        }
        String example = destinations.get(0).name();
        sb.append("Wrap each delivered message in <message to=\"").append(example).append("\">…</message>, using ")
                .append("the destination's name. Several blocks in one answer are fine, each is a separate message. ")
                .append("Text outside the blocks is never delivered; put your thinking in <internal>…</internal>.")
                .append("\n\n")
                .append("Messages reach you with a from=\"name\" attribute: reply to that destination unless you ")
                .append("are asked to send somewhere else.\n\n")
                .append("The send_message tool delivers the same way while you are still working (for example a ")
                .append("short \"on it\" before a long task). Every call and every block is a separate message.");
        return sb.toString();
    }

    private static String describe(Destination d) {
        String s = "`" + d.name() + "`";
        String display = d.displayName();
        if (display != null && !display.isBlank() && !display.equals(d.name())) {
            s += " (" + display + ")";
        }
        if (d.isAgent()) {
            s += ", another agent";
        }
        return s;
    }
}
