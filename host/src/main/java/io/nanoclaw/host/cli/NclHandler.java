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
}
