package io.nanoclaw.runner.prompt;

import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.store.Destination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The system prompt of agent-runner.md 8.2, in order: the base prompt, the group's CLAUDE.md (imports expanded),
 * CLAUDE.local.md (the group's memory), each {@code /workspace/extra/<name>/CLAUDE.md}, the skill index, and the
 * destinations addendum; joined with {@code ---} rules. Recomposed for every turn from the files, so an edit to
 * the memory reaches the next turn; with unchanged files the text is byte for byte the same (prompt caching).
 */
public final class SystemPromptComposer {
    static final String SEPARATOR = "\n\n---\n\n";

    private final Path agentDir;
    private final Path extraDir;
    private final String assistantName;
    private final ClaudeMdImports imports;
    private final Supplier<List<SkillIndexEntry>> skills;

    /**
     * @param agentDir /workspace/agent
     * @param extraDir /workspace/extra (additional mounts, each a folder)
     * @param home     the home folder, for {@code @~/} imports
     */
    public SystemPromptComposer(Path agentDir, Path extraDir, Path home, String assistantName,
                                Supplier<List<SkillIndexEntry>> skills) {
        this.agentDir = agentDir;
        this.extraDir = extraDir;
        this.assistantName = assistantName;
        this.imports = new ClaudeMdImports(home);
        this.skills = skills;
    }

    public String compose(List<Destination> destinations) {
        List<String> parts = new ArrayList<>();
        parts.add(BasePrompt.TEXT);
        section(parts, "Instructions for this agent group (CLAUDE.md)", imports.read(agentDir.resolve("CLAUDE.md")));
        section(parts, "Your memory (CLAUDE.local.md)", imports.read(agentDir.resolve("CLAUDE.local.md")));
        for (Path dir : extraDirs()) {
            section(parts, "Instructions for /workspace/extra/" + dir.getFileName(),
                    imports.read(dir.resolve("CLAUDE.md")));
        }
        String index = skillIndex(skills.get());
        if (!index.isEmpty()) {
            parts.add(index);
        }
        parts.add(DestinationsAddendum.build(assistantName, destinations));
        return String.join(SEPARATOR, parts);
    }

    private static void section(List<String> parts, String title, String body) {
        if (!body.isEmpty()) {
            parts.add("# " + title + "\n\n" + body);
        }
    }

    static String skillIndex(List<SkillIndexEntry> entries) {
        if (entries.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("# Skills\n\nLoad a skill with the Skill tool before doing what it "
                + "covers:\n");
        for (SkillIndexEntry e : entries) {
            sb.append("- ").append(e.name());
            if (e.description() != null && !e.description().isBlank()) {
                sb.append(": ").append(e.description().strip().replace('\n', ' '));
            }
            sb.append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /** Extra mounts in name order (a stable order keeps the prompt stable). */
    private List<Path> extraDirs() {
        if (extraDir == null || !Files.isDirectory(extraDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(extraDir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            Log.warn("prompt", "cannot list " + extraDir + ": " + Log.describe(e));
            return List.of();
        }
    }
}
