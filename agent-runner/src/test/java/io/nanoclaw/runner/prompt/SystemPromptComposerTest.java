package io.nanoclaw.runner.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.store.Destination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent-runner.md 8.2 and the import recipe of 2.5. */
class SystemPromptComposerTest {
    @TempDir
    Path tmp;

    @Test
    void importsExpandRecursivelyRelativeToTheImporterAndCyclesEnd() throws Exception {
        Path agent = Files.createDirectories(tmp.resolve("agent"));
        Files.createDirectories(agent.resolve("docs"));
        Files.writeString(agent.resolve("CLAUDE.md"), "top\n@docs/a.md\n@missing.md\nend\n");
        Files.writeString(agent.resolve("docs/a.md"), "in a\n@b.md\n");
        Files.writeString(agent.resolve("docs/b.md"), "in b\n@a.md\n");
        String text = new ClaudeMdImports(tmp).read(agent.resolve("CLAUDE.md"));
        assertEquals("top\nin a\nin b\nend", text);
    }

    @Test
    void anAtLineInACodeBlockOrMidLineIsNotAnImport() throws Exception {
        Files.writeString(tmp.resolve("x.md"), "secret");
        Files.writeString(tmp.resolve("CLAUDE.md"), "mail me @x.md\n```\n@x.md\n```\n");
        String text = new ClaudeMdImports(tmp).read(tmp.resolve("CLAUDE.md"));
        assertFalse(text.contains("secret"), text);
    }

    @Test
    void partsComeInOrderAndTheTextIsStable() throws Exception {
        Path agent = Files.createDirectories(tmp.resolve("agent"));
        Files.writeString(agent.resolve("CLAUDE.md"), "GROUP RULES");
        Files.writeString(agent.resolve("CLAUDE.local.md"), "MEMORY");
        Files.createDirectories(tmp.resolve("extra/b"));
        Files.createDirectories(tmp.resolve("extra/a"));
        Files.writeString(tmp.resolve("extra/b/CLAUDE.md"), "EXTRA B");
        Files.writeString(tmp.resolve("extra/a/CLAUDE.md"), "EXTRA A");
        SystemPromptComposer c = new SystemPromptComposer(agent, tmp.resolve("extra"), tmp, "Andy",
                () -> List.of(new SkillIndexEntry("welcome", "Greets a new user"),
                        new SkillIndexEntry("pdf", null)));
        List<Destination> dests = List.of(new Destination("cli", "Terminal", "channel", "cli", "local", null));
        String p = c.compose(dests);
        int base = p.indexOf(BasePrompt.TEXT);
        int group = p.indexOf("GROUP RULES");
        int memory = p.indexOf("MEMORY");
        int extraA = p.indexOf("EXTRA A");
        int extraB = p.indexOf("EXTRA B");
        int skills = p.indexOf("- welcome: Greets a new user\n- pdf");
        int addendum = p.indexOf("# You are Andy");
        assertEquals(0, base);
        assertTrue(base < group && group < memory && memory < extraA && extraA < extraB && extraB < skills
                && skills < addendum, p);
        assertEquals(p, c.compose(dests), "byte-stable for the prompt cache");
        assertTrue(p.contains(SystemPromptComposer.SEPARATOR));
    }

    @Test
    void missingFilesLeaveNoEmptySections() {
        SystemPromptComposer c = new SystemPromptComposer(tmp.resolve("none"), tmp.resolve("no-extra"), tmp, null,
                List::of);
        String p = c.compose(List.of());
        assertFalse(p.contains("CLAUDE.md)"), p);
        assertFalse(p.contains("# Skills"), p);
        assertTrue(p.endsWith("Anything you write stays internal."), p);
    }
}
