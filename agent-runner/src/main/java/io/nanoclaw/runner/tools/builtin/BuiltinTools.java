package io.nanoclaw.runner.tools.builtin;

import io.nanoclaw.runner.skills.SkillCatalog;
import io.nanoclaw.runner.tools.Tool;
import java.nio.file.Path;
import java.util.List;

/** The Claude Code tools implemented in-process, in a fixed order: the tools list is part of the cached prefix. */
public final class BuiltinTools {
    private BuiltinTools() {}

    /**
     * @param skills     what the Skill tool can load
     * @param summarizer answers WebFetch's prompt about a page; null returns the page text itself
     * @param todoFile   where TodoWrite keeps the current list; null keeps it in memory only
     */
    public static List<Tool> all(SkillCatalog skills, Summarizer summarizer, Path todoFile) {
        return List.of(new Bash(), new Read(), new Write(), new Edit(), new Glob(), new Grep(),
                new WebFetch(summarizer), new Skill(skills), new TodoWrite(todoFile));
    }

    /** No skills, no summarizer, the todo list in memory: for tests and tools-only uses. */
    public static List<Tool> all() {
        return all(SkillCatalog.empty(), null, null);
    }
}
