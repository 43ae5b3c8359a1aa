package io.nanoclaw.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One command line, parsed as host.md 9 and the agents' {@code ncl} parse it: positional words joined with '-' into
 * the command ("groups get ag-1" → "groups-get-ag-1"; the host takes the unknown tail as the id), {@code --key value}
 * as an argument, a {@code --key} followed by nothing or by another flag as true, '-' in keys as '_'.
 *
 * @param command the joined words, or null when there were none
 * @param json    print the reply frame as JSON
 */
public record NclRequest(String command, List<String> words, ObjectNode args, boolean json) {
    public static NclRequest parse(List<String> argv) {
        List<String> positional = new ArrayList<>();
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        boolean json = false;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--json")) {
                json = true;
            } else if (a.startsWith("--") && a.length() > 2) {
                String key = a.substring(2);
                String value = null;
                int eq = key.indexOf('=');
                if (eq > 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                }
                key = key.replace('-', '_');
                if (value != null) {
                    args.put(key, value);
                    continue;
                }
                String next = i + 1 < argv.size() ? argv.get(i + 1) : null;
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
        return new NclRequest(positional.isEmpty() ? null : String.join("-", positional), positional, args, json);
    }
}
