package io.nanoclaw.host.containers.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.DockerClientProvider;
import io.nanoclaw.host.containers.InstallId;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.testkit.AgentImage;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-group images against the real engine, offline. apt can't download here, so a real package request is the
 * failing case; the successful builds go through the package-private seam with no packages (labels and USER only),
 * which needs no network. Every build runs with the network off, so no test can reach a mirror.
 *
 * <p>The base is this test's own tag on the agent image, so that another build of nanoclaw-agent:latest on the same
 * engine can't change the base halfway through a test. Everything created here carries this run's install label
 * (a fresh install home) and is removed afterwards.
 */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class AgentGroupImagesTest {
    @Inject
    AgentGroupImages images;
    @Inject
    CoreFixture fx;
    @Inject
    DockerClientProvider docker;
    @Inject
    InstallId installId;
    @Inject
    HostConfig config;

    private String base;
    private String baseId;
    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void engineAndAgentImage() {
        AgentImage.ensure();
    }

    @BeforeEach
    void pinTheBase() {
        DockerClient c = docker.get();
        String agentId = c.inspectImageCmd(config.containerImage()).exec().getId();
        String tag = "t" + System.nanoTime();
        c.tagImageCmd(agentId, "nanoclaw-test-group-base", tag).exec();
        base = "nanoclaw-test-group-base:" + tag;
        baseId = agentId;
    }

    @AfterEach
    void removeWhatThisTestMade() {
        DockerClient c = docker.get();
        for (String id : containers) {
            c.removeContainerCmd(id).withForce(true).exec();
        }
        containers.clear();
        for (Image i : c.listImagesCmd().withLabelFilter(Map.of(InstallId.LABEL, installId.value())).exec()) {
            List<String> tags = tags(i);
            for (String t : tags.isEmpty() ? List.of(i.getId()) : tags) {
                try {
                    c.removeImageCmd(t).exec();
                } catch (NotFoundException gone) {
                    // went with an image removed before it
                }
            }
        }
        // Untags only, unless nanoclaw-agent:latest was rebuilt meanwhile and this tag alone kept the old one.
        c.removeImageCmd(base).withForce(true).exec();
    }

    private AgentGroupImages.Options variant(String v) {
        return new AgentGroupImages.Options(base, Map.of("nanoclaw.test-variant", v), "none");
    }

    private Optional<InspectImageResponse> inspect(String image) {
        try {
            return Optional.of(docker.get().inspectImageCmd(image).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static List<String> tags(Image i) {
        return i.getRepoTags() == null ? List.of()
                : Arrays.stream(i.getRepoTags()).filter(t -> !t.equals("<none>:<none>")).toList();
    }

    /** The group's images as `docker images` lists them (tagged and dangling, not the parents of tagged ones). */
    private List<Image> groupImages(AgentGroup g) {
        return docker.get().listImagesCmd().withLabelFilter(Map.of(InstallId.LABEL, installId.value(),
                AgentGroupImages.GROUP_LABEL, g.id())).exec();
    }

    private String column(AgentGroup g, String column) {
        // Wrapped: Db.one reads a NULL value as no row.
        return fx.db.one("SELECT " + column + " FROM container_configs WHERE agent_group_id = ?",
                rs -> Optional.ofNullable(rs.getString(1)), g.id()).orElseThrow().orElse(null);
    }

    private boolean descendsFromBase(InspectImageResponse image) {
        String parent = image.getParent();
        while (parent != null && !parent.isEmpty()) {
            if (parent.equals(baseId)) {
                return true;
            }
            parent = docker.get().inspectImageCmd(parent).exec().getParent();
        }
        return false;
    }

    @Test
    void aGroupImageIsBuiltFromTheLocalBaseReusedReplacedAndRemoved() {
        AgentGroup g = fx.group(CoreFixture.unique("img"));
        int before = images.buildsStarted();

        String first = images.build(g.id(), List.of(), List.of(), variant("1"));
        assertTrue(first.matches("nanoclaw-agent-" + AgentGroupImages.slug(g.folder()) + ":[0-9a-f]{12}"), first);
        InspectImageResponse built = inspect(first).orElseThrow();
        Map<String, String> labels = built.getConfig().getLabels();
        assertEquals(installId.value(), labels.get(InstallId.LABEL));
        assertEquals(g.id(), labels.get(AgentGroupImages.GROUP_LABEL));
        assertTrue(labels.get(AgentGroupImages.PACKAGES_LABEL).startsWith(first.substring(first.indexOf(':') + 1)));
        assertEquals("1000:1000", built.getConfig().getUser(), "the agent must not run as root");
        assertEquals("/workspace/agent", built.getConfig().getWorkingDir(), "the rest of the base is kept");
        assertTrue(descendsFromBase(built), "built on the local agent image");
        assertEquals(first, column(g, "image_tag"));
        assertEquals("[]", column(g, "packages_apt"));
        assertEquals(before + 1, images.buildsStarted());

        // The same inputs: the same tag at once, nothing sent to the engine.
        assertEquals(first, images.build(g.id(), List.of(), List.of(), variant("1")));
        assertEquals(before + 1, images.buildsStarted());
        assertEquals(built.getId(), inspect(first).orElseThrow().getId());

        // Other inputs: a new tag, and the previous one goes.
        String second = images.build(g.id(), List.of(), List.of(), variant("2"));
        assertNotEquals(first, second);
        assertEquals(before + 2, images.buildsStarted());
        assertEquals(second, column(g, "image_tag"));
        assertTrue(inspect(first).isEmpty(), first + " should have been removed");

        // A container still uses the current image: the next rebuild leaves it, the janitor's run removes it later.
        containers.add(docker.get().createContainerCmd(second).withLabels(Map.of(InstallId.LABEL, installId.value()))
                .exec().getId());
        String third = images.build(g.id(), List.of(), List.of(), variant("3"));
        assertEquals(third, column(g, "image_tag"));
        assertTrue(inspect(second).isPresent(), "an image in use is left");
        assertEquals(0, images.pruneAll(), "still in use");
        docker.get().removeContainerCmd(containers.remove(0)).withForce(true).exec();
        assertEquals(1, images.pruneAll());
        assertTrue(inspect(second).isEmpty());
        assertTrue(inspect(third).isPresent(), "the current image is kept");

        // The group goes: its images go, the base stays.
        assertEquals(1, images.removeAll(g.id()));
        assertEquals(List.of(), groupImages(g));
        assertNull(column(g, "image_tag"));
        assertTrue(inspect(base).isPresent(), "the base is never removed");
        assertTrue(inspect(config.containerImage()).isPresent(), "the agent image is never removed");
    }

    @Test
    void aFailedBuildLeavesTheGroupAsItWas() {
        AgentGroup g = fx.group(CoreFixture.unique("img"));
        String current = images.build(g.id(), List.of(), List.of(), variant("ok"));
        // As if jq had been installed into that image earlier.
        fx.db.update("UPDATE container_configs SET packages_apt = '[\"jq\"]' WHERE agent_group_id = ?", g.id());

        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> images.build(g.id(), List.of("cowsay"), List.of(), variant("ok")));
        assertTrue(e.getMessage().startsWith("the image for agent group " + g.id() + " could not be built: "),
                e.getMessage());
        assertTrue(e.getMessage().contains(": Step 4/5 : RUN apt-get update") && e.getMessage().contains(
                "exited with code 100"), e.getMessage());
        assertFalse(e.getMessage().contains("\u001b"), "no colour codes in what the agent reads");
        assertTrue(e.outputTail().stream().anyMatch(l -> l.contains("Unable to locate package cowsay")),
                String.join("\n", e.outputTail()));
        assertTrue(e.getMessage().contains("Unable to locate package cowsay"), "the agent is told why");

        assertEquals(current, column(g, "image_tag"));
        assertEquals("[\"jq\"]", column(g, "packages_apt"));
        assertEquals("[]", column(g, "packages_npm"));
        List<Image> left = groupImages(g);
        assertEquals(1, left.size(), "only the current image, no leftovers of the failed build: " + left);
        assertEquals(List.of(current), tags(left.get(0)));
        assertTrue(docker.get().listImagesCmd().withDanglingFilter(true)
                .withLabelFilter(Map.of(AgentGroupImages.GROUP_LABEL, g.id())).exec().isEmpty());
    }

    @Test
    void aMissingBaseIsAClearErrorAndNothingIsPulled() {
        AgentGroup g = fx.group(CoreFixture.unique("img"));
        AgentGroupImages.Options missing = new AgentGroupImages.Options("nanoclaw-test-no-such-image:never",
                Map.of(), "none");
        int before = images.buildsStarted();
        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> images.build(g.id(), List.of(), List.of(), missing));
        assertEquals("the agent image nanoclaw-test-no-such-image:never is missing: run ./nanoclaw setup",
                e.getMessage());
        assertEquals(before, images.buildsStarted());
        assertTrue(inspect("nanoclaw-test-no-such-image:never").isEmpty());
        assertNull(column(g, "image_tag"));
    }

    @Test
    void aRebuildOfAGroupWithoutPackagesReturnsItToTheAgentImage() {
        AgentGroup g = fx.group(CoreFixture.unique("img"));
        String tag = images.build(g.id(), List.of(), List.of(), variant("r"));
        assertTrue(inspect(tag).isPresent());
        assertEquals(config.containerImage(), images.rebuild(g.id()));
        assertNull(column(g, "image_tag"));
        assertFalse(inspect(tag).isPresent());
    }

    @Test
    void badRequestsFailBeforeAnyBuild() {
        AgentGroup g = fx.group(CoreFixture.unique("img"));
        int before = images.buildsStarted();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> images.build(g.id(), List.of("ok", "NOT-ok"), List.of())).getMessage().contains("'NOT-ok'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> images.build(g.id(), List.of(), List.of())).getMessage().contains("no packages"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> images.build("ag-no-such-group", List.of("jq"), List.of())).getMessage()
                .contains("no agent group ag-no-such-group"));
        fx.db.update("UPDATE container_configs SET packages_npm = '[\"x; rm -rf /\"]' WHERE agent_group_id = ?",
                g.id());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> images.build(g.id(), List.of("jq"), List.of())).getMessage().contains("stored packages"));
        assertEquals(before, images.buildsStarted());
        assertNull(column(g, "image_tag"));
    }
}
