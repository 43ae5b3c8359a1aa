package io.nanoclaw.host.containers.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generated Dockerfile, as text: what the engine will run for each kind of request. */
class AgentGroupImageDockerfileTest {
    private static final Map<String, String> LABELS = Map.of("nanoclaw-install", "abc123",
            "nanoclaw-agent-group", "ag-1-x", "nanoclaw.packages", "f00d");
    private static final String LABEL_LINE =
            "LABEL \"nanoclaw-agent-group\"=\"ag-1-x\" \"nanoclaw-install\"=\"abc123\" \"nanoclaw.packages\"=\"f00d\"\n";

    @Test
    void aptOnly() {
        assertEquals("FROM nanoclaw-agent:latest\n"
                        + LABEL_LINE
                        + "USER root\n"
                        + "RUN apt-get update \\\n"
                        + " && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg jq \\\n"
                        + " && rm -rf /var/lib/apt/lists/*\n"
                        + "USER 1000:1000\n",
                GroupDockerfile.render("nanoclaw-agent:latest", List.of("jq", "ffmpeg"), List.of(), LABELS));
    }

    @Test
    void npmOnlyBringsDebiansNodeInTheSameLayer() {
        assertEquals("FROM nanoclaw-agent:latest\n"
                        + LABEL_LINE
                        + "USER root\n"
                        + "RUN apt-get update \\\n"
                        + " && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \\\n"
                        + " && npm install -g --no-audit --no-fund @anthropic-ai/sdk prettier \\\n"
                        + " && rm -rf /var/lib/apt/lists/* /root/.npm\n"
                        + "USER 1000:1000\n",
                GroupDockerfile.render("nanoclaw-agent:latest", List.of(), List.of("prettier", "@anthropic-ai/sdk"),
                        LABELS));
    }

    @Test
    void bothInOneRunWithoutListingNodeTwice() {
        assertEquals("FROM my-agent:dev\n"
                        + LABEL_LINE
                        + "USER root\n"
                        + "RUN apt-get update \\\n"
                        + " && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends jq nodejs npm \\\n"
                        + " && npm install -g --no-audit --no-fund typescript \\\n"
                        + " && rm -rf /var/lib/apt/lists/* /root/.npm\n"
                        + "USER 1000:1000\n",
                GroupDockerfile.render("my-agent:dev", List.of("nodejs", "jq"), List.of("typescript"), LABELS));
    }

    @Test
    void noPackagesIsOnlyLabelsAndUsers() {
        assertEquals("FROM nanoclaw-agent:latest\n" + LABEL_LINE + "USER root\nUSER 1000:1000\n",
                GroupDockerfile.render("nanoclaw-agent:latest", List.of(), List.of(), LABELS));
    }

    @Test
    void theOrderOfARequestDoesNotChangeTheText() {
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("nanoclaw.packages", "f00d");
        reversed.put("nanoclaw-install", "abc123");
        reversed.put("nanoclaw-agent-group", "ag-1-x");
        assertEquals(GroupDockerfile.render("b", List.of("a", "b"), List.of("x", "y"), LABELS),
                GroupDockerfile.render("b", List.of("b", "a"), List.of("y", "x"), reversed));
    }

    @Test
    void labelValuesAreQuoted() {
        assertEquals("\"a \\\"b\\\" \\\\ c\"", GroupDockerfile.quote("a \"b\" \\ c"));
        assertThrows(IllegalArgumentException.class, () -> GroupDockerfile.quote("a\nLABEL x=y"));
    }

    @Test
    void theContextIsATarThatTarReads() throws Exception {
        byte[] dockerfile = GroupDockerfile.render("base", List.of("jq"), List.of(), LABELS)
                .getBytes(StandardCharsets.UTF_8);
        byte[] tar = TarContext.of(Map.of("Dockerfile", dockerfile));
        assertEquals(0, tar.length % 512);
        assertArrayEquals(tar, TarContext.of(Map.of("Dockerfile", dockerfile)), "the same files give the same bytes");
        Path dir = Files.createTempDirectory("tarctx");
        try {
            Path file = dir.resolve("ctx.tar");
            Files.write(file, tar);
            Process p = new ProcessBuilder("tar", "-xf", file.toString(), "-C", dir.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), out);
            assertArrayEquals(dockerfile, Files.readAllBytes(dir.resolve("Dockerfile")));
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
