package io.nanoclaw.runner.tools.builtin;

import io.nanoclaw.runner.tools.Tool;
import java.util.List;

/** The Claude Code tools implemented in-process, in a fixed order: the tools list is part of the cached prefix. */
public final class BuiltinTools {
    private BuiltinTools() {}

    public static List<Tool> all() {
        return List.of(new Bash(), new Read(), new Write(), new Edit(), new Glob(), new Grep());
    }
}
