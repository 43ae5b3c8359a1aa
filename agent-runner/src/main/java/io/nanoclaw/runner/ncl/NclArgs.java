package io.nanoclaw.runner.ncl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code ncl}, parsed as upstream's container client and the host's {@code ncl} do: positional
 * words are joined with '-' into the command name, {@code --key value} sets an argument, a {@code --key} followed
 * by nothing or by another flag is true, and '-' in keys becomes '_' (the host client's rule, so that the same
 * command line means the same thing on both sides).
 */
final class NclArgs {
    static final String USAGE = """
            Usage: ncl <resource> <verb> [--key value ...] [--json]

            Run `ncl help` to list the available commands.
            """;

    private NclArgs() {}

    /** Returns null when there is no command word. */
    static NclCommand parse(String[] argv) {
        List<String> positional = new ArrayList<>();
        ObjectNode args = Json.object();
        boolean json = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--json")) {
                json = true;
            } else if (a.startsWith("--") && a.length() > 2) {
                String key = a.substring(2).replace('-', '_');
                String next = i + 1 < argv.length ? argv[i + 1] : null;
                if (next == null || next.startsWith("--")) {
                    args.put(key, true);
                } else {
                    args.put(key, next);
                    i++;
                }
            } else {
                positional.add(a);
            }
        }
        return positional.isEmpty() ? null : new NclCommand(String.join("-", positional), args, json);
    }
}
