package io.nanoclaw.runner.tools.builtin;

import static io.nanoclaw.runner.tools.builtin.ToolFixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.skills.SkillCatalog;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillTest {
    @TempDir
    Path ws;

    private Path skills;

    @BeforeEach
    void installSkills() throws Exception {
        skills = ws.resolve("skills");
        write("welcome", "---\nname: welcome\ndescription: \"Greets a new user\"\n---\n\n# Welcome\n\nRun"
                + " scripts/hello.sh.\n");
        write("commit", "---\ndescription: |\n  Commits with a message\n---\nCommit with: $ARGUMENTS\n");
        write("plain", "No front matter here.\n");
    }

    private void write(String folder, String text) throws Exception {
        Path dir = Files.createDirectories(skills.resolve(folder));
        Files.writeString(dir.resolve("SKILL.md"), text);
    }

    private Skill tool() {
        return new Skill(SkillCatalog.scan(List.of(skills)));
    }

    @Test
    void returnsTheBodyUnderItsBaseDirectory() {
        ToolResult r = run(tool(), ws, "{\"skill\":\"welcome\"}");
        assertFalse(r.isError());
        assertEquals("Base directory for this skill: " + skills.resolve("welcome") + "\n\n# Welcome\n\nRun"
                + " scripts/hello.sh.\n", r.text());
        assertEquals(r.text(), run(tool(), ws, "{\"skill\":\"/welcome\"}").text(), "a leading slash is accepted");
        assertEquals(r.text(), run(tool(), ws, "{\"skill\":\"Welcome\"}").text());
    }

    @Test
    void argumentsFillThePlaceholderOrAreAppended() {
        assertTrue(run(tool(), ws, "{\"skill\":\"commit\",\"args\":\"-m fix\"}").text()
                .endsWith("\n\nCommit with: -m fix\n"));
        assertTrue(run(tool(), ws, "{\"skill\":\"plain\",\"args\":\"42\"}").text()
                .endsWith("\n\nNo front matter here.\n\nARGUMENTS: 42\n"));
    }

    @Test
    void unknownSkillsListTheKnownOnes() {
        ToolResult r = run(tool(), ws, "{\"skill\":\"deploy\"}");
        assertTrue(r.isError());
        assertEquals("Unknown skill: deploy. Available skills: commit, plain, welcome", r.text());
        ToolResult none = run(new Skill(SkillCatalog.empty()), ws, "{\"skill\":\"deploy\"}");
        assertEquals("Unknown skill: deploy. No skills are installed.", none.text());
        assertEquals("missing required parameter: skill", run(tool(), ws, "{}").text());
    }

    @Test
    void aSkillDeletedAfterTheScanIsAnError() throws Exception {
        Skill tool = tool();
        Files.delete(skills.resolve("plain/SKILL.md"));
        ToolResult r = run(tool, ws, "{\"skill\":\"plain\"}");
        assertTrue(r.isError());
        assertTrue(r.text().contains("could not be read"), r.text());
    }
}
