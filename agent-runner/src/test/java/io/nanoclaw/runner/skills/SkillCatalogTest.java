package io.nanoclaw.runner.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillCatalogTest {
    @TempDir
    Path tmp;

    private Path skill(Path root, String folder, String text) throws Exception {
        Path dir = Files.createDirectories(root.resolve(folder));
        Files.writeString(dir.resolve("SKILL.md"), text);
        return dir;
    }

    @Test
    void scansRootsSortsByNameAndTheFirstRootWins() throws Exception {
        Path agent = tmp.resolve("agent-skills");
        Path app = tmp.resolve("app-skills");
        skill(agent, "welcome", "---\nname: welcome\ndescription: The group's own welcome\n---\nOurs.\n");
        skill(app, "welcome", "---\nname: welcome\ndescription: The image's welcome\n---\nTheirs.\n");
        skill(app, "browser", "---\nname: agent-browser\ndescription: >\n  Drives Chromium\n  from the CLI\n---\nB\n");
        skill(app, "no-front-matter", "# Just text\n");
        Files.createDirectories(app.resolve("not-a-skill"));
        Files.writeString(app.resolve("README.md"), "a file, not a folder");

        SkillCatalog catalog = SkillCatalog.scan(List.of(agent, tmp.resolve("missing"), app));
        assertEquals(List.of(
                new SkillInfo("agent-browser", "Drives Chromium from the CLI", app.resolve("browser")),
                new SkillInfo("no-front-matter", "", app.resolve("no-front-matter")),
                new SkillInfo("welcome", "The group's own welcome", agent.resolve("welcome"))), catalog.skills());
        assertEquals(Optional.of("Ours.\n"), catalog.body("welcome"));
        assertEquals(Optional.of("# Just text\n"), catalog.body("no-front-matter"));
        assertEquals(Optional.empty(), catalog.body("nope"));
    }

    @Test
    void unreadableAndGarbledFilesAreSkipped() throws Exception {
        Path root = tmp.resolve("skills");
        skill(root, "good", "---\ndescription: fine\n---\nok\n");
        skill(root, "unclosed", "---\nname: unclosed\ndescription: no end\n");
        skill(root, "junk", "---\n: : :\n---\n");
        Path binary = Files.createDirectories(root.resolve("binary"));
        Files.write(binary.resolve("SKILL.md"), new byte[] {'-', '-', '-', '\n', 0, 1, 2});
        Path latin1 = Files.createDirectories(root.resolve("latin1"));
        Files.write(latin1.resolve("SKILL.md"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        skill(root, "bad-name", "---\nname: has spaces in it\n---\nbody\n");

        SkillCatalog catalog = SkillCatalog.scan(List.of(root));
        assertEquals(List.of("bad-name", "good"), catalog.skills().stream().map(SkillInfo::name).toList());
    }

    @Test
    void symlinkedSkillFoldersAreFollowed() throws Exception {
        Path app = tmp.resolve("app");
        Path target = skill(app, "vercel-cli", "---\ndescription: Deploys with Vercel\n---\nUse it.\n");
        Path linked = Files.createDirectories(tmp.resolve("home/.claude/skills"));
        Files.createSymbolicLink(linked.resolve("vercel-cli"), target);
        SkillCatalog catalog = SkillCatalog.scan(List.of(linked));
        assertEquals(1, catalog.skills().size());
        assertEquals(linked.resolve("vercel-cli"), catalog.skills().get(0).dir());
        assertEquals(Optional.of("Use it.\n"), catalog.body("vercel-cli"));
    }

    @Test
    void defaultRootsInPriorityOrder() {
        assertEquals(List.of(Path.of("/workspace/agent/skills"), Path.of("/home/agent/.claude/skills"),
                Path.of("/app/skills")), SkillCatalog.defaultRoots(Path.of("/workspace/agent"), Path.of("/home/agent")));
        assertEquals(List.of(Path.of("/workspace/agent/skills"), Path.of("/app/skills")),
                SkillCatalog.defaultRoots(Path.of("/workspace/agent"), null));
        assertTrue(SkillCatalog.empty().skills().isEmpty());
    }
}
