package io.nanoclaw.host.cli;

import java.util.Set;

/**
 * The common part of a command bean: its name, access, usage and summary as constants, and strict arguments (a
 * command that names none in its usage accepts none).
 */
public abstract class NclCommand implements NclHandler {
    private final String command;
    private final NclAccess access;
    private final String usage;
    private final String summary;

    protected NclCommand(String command, NclAccess access, String usage, String summary) {
        this.command = command;
        this.access = access;
        this.usage = usage;
        this.summary = summary;
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public NclAccess access() {
        return access;
    }

    @Override
    public String usage() {
        return usage;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public Set<String> arguments() {
        Set<String> keys = NclHandler.super.arguments();
        return keys == null ? Set.of() : keys;
    }
}
