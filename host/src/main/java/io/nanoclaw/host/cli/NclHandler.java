package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One {@code ncl} command (host.md 9), served on {@code data/ncl.sock} for the operator and through
 * {@code cli_request} for agents. Handlers are CDI beans, collected at build time (no scanning at run time).
 * {@link #command()} is the dashed name the client sends ("groups-list", "groups-config-get", "status").
 */
public interface NclHandler {
    String command();

    NclAccess access();

    /** One line for {@code ncl help}. */
    String summary();

    /**
     * Runs the command. The result becomes {@code data} in the reply: an array of flat objects is shown as a table
     * by the client, anything else as JSON. Refusals and bad input are {@link NclException}s with a code.
     */
    JsonNode handle(NclCall call) throws NclException;

    /**
     * The arguments in {@code ncl help}, e.g. {@code "--id <group> [--rebuild] [--message <text>]"}; empty when the
     * command takes none.
     */
    default String usage() {
        return "";
    }

    /**
     * The argument keys this command accepts ({@code _} for {@code -}); any other is refused with a did-you-mean.
     * By default the {@code --flags} named in {@link #usage()}, and null (anything goes) when the usage is empty.
     */
    default java.util.Set<String> arguments() {
        if (usage().isBlank()) {
            return null;
        }
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--([a-z][a-z0-9-]*)").matcher(usage());
        while (m.find()) {
            keys.add(m.group(1).replace('-', '_'));
        }
        return keys;
    }

    /**
     * Checks the arguments without changing anything. Run before an agent's approval-gated command raises a card,
     * so an admin is only asked about a well-formed request.
     */
    default void validate(NclCall call) throws NclException {
    }
}
