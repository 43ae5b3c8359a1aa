package io.nanoclaw.host.containers.images;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.entities.AgentGroup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** install_packages requests are checked before anything touches the engine (agent-runner.md 3.5). */
class AgentGroupImageValidationTest {

    private static String rejected(List<String> apt, List<String> npm) {
        return assertThrows(IllegalArgumentException.class, () -> PackageNames.validateRequest(apt, npm)).getMessage();
    }

    @Test
    void wellFormedNamesPass() {
        assertDoesNotThrow(() -> PackageNames.validateRequest(
                List.of("jq", "ffmpeg", "libstdc++6", "python3.11", "g++", "fonts-noto-cjk"),
                List.of("prettier", "@anthropic-ai/sdk", "lodash.merge", "@a/b_c")));
        assertDoesNotThrow(() -> PackageNames.validateRequest(List.of("jq"), null));
        assertDoesNotThrow(() -> PackageNames.validateRequest(null, List.of("typescript")));
    }

    @Test
    void aBadNameIsNamedInTheError() {
        assertTrue(rejected(List.of("jq", "Jq"), List.of()).contains("invalid apt package name 'Jq'"));
        assertTrue(rejected(List.of("-o=APT::Get::AllowUnauthenticated=1"), List.of()).contains("invalid apt"));
        assertTrue(rejected(List.of("jq;rm -rf /"), List.of()).contains("'jq;rm -rf /'"));
        assertTrue(rejected(List.of("jq curl"), List.of()).contains("'jq curl'"));
        assertTrue(rejected(List.of("$(id)"), List.of()).contains("invalid apt"));
        assertTrue(rejected(List.of(""), List.of()).contains("invalid apt package name ''"));
        assertTrue(rejected(List.of("jq=1.6"), List.of()).contains("invalid apt"));
        assertTrue(rejected(List.of(), List.of("lodash@4")).contains("invalid npm package name 'lodash@4'"));
        assertTrue(rejected(List.of(), List.of("@scope/")).contains("invalid npm"));
        assertTrue(rejected(List.of(), List.of("@scope/a/b")).contains("invalid npm"));
        assertTrue(rejected(List.of(), List.of("git+https://example.com/x.git")).contains("invalid npm"));
        assertTrue(rejected(List.of(), List.of("../x")).contains("invalid npm"));
        assertTrue(rejected(List.of(), List.of("a\nb")).contains("'a?b'"));
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertTrue(rejected(withNull, List.of()).contains("invalid apt package name 'null'"));
    }

    @Test
    void oneToTwentyInTotal() {
        assertTrue(rejected(List.of(), List.of()).contains("no packages requested"));
        assertTrue(rejected(null, null).contains("no packages requested"));
        List<String> apt = new ArrayList<>();
        List<String> npm = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            apt.add("a" + i);
            npm.add("n" + i);
        }
        assertDoesNotThrow(() -> PackageNames.validateRequest(apt, npm));
        npm.add("n10");
        assertTrue(rejected(apt, npm).contains("too many packages: 21 requested, at most 20"));
    }

    @Test
    void duplicatesWithinAListAreRejected() {
        assertTrue(rejected(List.of("jq", "curl", "jq"), List.of()).contains("duplicate apt package 'jq'"));
        assertTrue(rejected(List.of(), List.of("x", "x")).contains("duplicate npm package 'x'"));
        // The same name in both ecosystems is two different packages.
        assertDoesNotThrow(() -> PackageNames.validateRequest(List.of("yarn"), List.of("yarn")));
    }

    @Test
    void mergeKeepsWhatIsInstalledAndAddsTheRest() {
        assertEquals(List.of("jq", "curl", "ffmpeg"),
                AgentGroupImages.merge(List.of("jq", "curl"), List.of("curl", "ffmpeg")));
        assertEquals(List.of("jq"), AgentGroupImages.merge(List.of("jq"), List.of()));
    }

    @Test
    void repositoryNamesAreValidDockerNames() {
        assertEquals("nanoclaw-agent-main", AgentGroupImages.repository(new AgentGroup("ag-1-x", "Main", "main", "t")));
        assertEquals("nanoclaw-agent-my-team-x", AgentGroupImages.repository(
                new AgentGroup("ag-1-x", "n", "My__Team-_x", "t")));
        assertEquals("nanoclaw-agent-ag-1-x", AgentGroupImages.repository(new AgentGroup("ag-1-x", "n", "__", "t")));
        String longFolder = "a".repeat(64);
        assertEquals("nanoclaw-agent-" + longFolder, AgentGroupImages.repository(
                new AgentGroup("ag-1-x", "n", longFolder, "t")));
    }
}
