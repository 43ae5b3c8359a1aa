package io.nanoclaw.runner.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FrontMatterTest {
    private static Map<String, String> fields(String text) throws Exception {
        return FrontMatter.parse(text).fields();
    }

    @Test
    void plainAndQuotedValues() throws Exception {
        assertEquals(Map.of("name", "pdf", "description", "Reads PDFs"),
                fields("---\nname: pdf\ndescription: Reads PDFs # a comment\n---\nbody"));
        assertEquals("Say \"hi\": then\nstop", fields("---\ndescription: \"Say \\\"hi\\\": then\\nstop\"\n---\n")
                .get("description"));
        assertEquals("it's here", fields("---\ndescription: 'it''s here'\n---\n").get("description"));
        assertEquals("a # not a comment", fields("---\ndescription: \"a # not a comment\"\n---\n")
                .get("description"));
        assertEquals("quoted over two lines", fields("---\ndescription: \"quoted over\n  two lines\"\n---\n")
                .get("description"));
    }

    @Test
    void blockValues() throws Exception {
        assertEquals("Folded into one line.\nA new paragraph.", fields("""
                ---
                name: x
                description: >
                  Folded into
                  one line.

                  A new paragraph.
                allowed-tools: Bash
                ---
                """).get("description"));
        assertEquals("Line one\n  indented\nline three", fields("""
                ---
                description: |-
                    Line one
                      indented
                    line three
                ---
                """).get("description"));
    }

    @Test
    void plainContinuationLinesIndentedOrNot() throws Exception {
        assertEquals("Starts here and goes on", fields("---\ndescription: Starts here\n  and goes on\n---\n")
                .get("description"));
        assertEquals("Starts here and goes on", fields("---\ndescription:\n  Starts here\n  and goes on\n---\n")
                .get("description"));
        // not YAML, but written by hand often enough
        assertEquals("Starts here and goes on", fields("---\ndescription: Starts here\nand goes on\nname: n\n---\n")
                .get("description"));
    }

    @Test
    void nestedKeysAreSkippedAndTheBodyFollowsTheFrontMatter() throws Exception {
        FrontMatter fm = FrontMatter.parse("""
                \uFEFF---
                # a comment
                name: deploy
                metadata:
                  owner: me
                  tags: [a, b]
                allowed-tools:
                - Bash
                - Read
                description: Deploys
                ---

                # Deploy

                Run it.
                """);
        assertEquals(Map.of("name", "deploy", "description", "Deploys"), fm.fields());
        assertEquals("# Deploy\n\nRun it.\n", fm.body());
    }

    @Test
    void noFrontMatterIsAllBody() throws Exception {
        FrontMatter fm = FrontMatter.parse("# Title\n\ntext\n");
        assertEquals(Map.of(), fm.fields());
        assertEquals("# Title\n\ntext\n", fm.body());
    }

    @Test
    void garbledFrontMatterIsRefused() {
        assertThrows(FrontMatter.Garbled.class, () -> FrontMatter.parse("---\nname: x\nbody without an end\n"));
        assertThrows(FrontMatter.Garbled.class, () -> FrontMatter.parse("---\njust some words\n---\n"));
        assertThrows(FrontMatter.Garbled.class, () -> FrontMatter.parse("---\ndescription: \"never closed\n---\n"));
    }
}
