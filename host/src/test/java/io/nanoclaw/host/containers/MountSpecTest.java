package io.nanoclaw.host.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.mounts.MountRejection;
import io.nanoclaw.host.containers.mounts.MountRejections;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A group's extra mounts reach the container spec when the allowlist admits them, and only then. */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class MountSpecTest {
    @Inject
    CoreFixture fx;
    @Inject
    ContainerRunner runner;
    @Inject
    ContainerConfigFile configFile;
    @Inject
    HostConfig config;
    @Inject
    MountRejections rejections;

    /** Each write gets a later mtime, so the host's cached copy is never mistaken for it. */
    private void writeAllowlist(String json) throws Exception {
        Files.writeString(config.mountAllowlist(), json);
        Files.setLastModifiedTime(config.mountAllowlist(),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 1000L * ++writes));
    }

    private static int writes;

    @Test
    void anAcceptedExtraIsMountedReadOnlyAndARefusedOneIsLeftOut() throws Exception {
        Path allowlist = config.mountAllowlist();
        // The profile points it into a temp folder; never write a developer's real allowlist.
        assertTrue(allowlist.startsWith(Path.of(System.getProperty("java.io.tmpdir")).toRealPath()),
                allowlist.toString());
        Path root = Files.createTempDirectory("mount-root-").toRealPath();
        Path shared = Files.createDirectories(root.resolve("shared"));
        Path outside = Files.createTempDirectory("mount-outside-").toRealPath();
        writeAllowlist("{\"allowedRoots\":[{\"path\":\"" + root + "\",\"allowReadWrite\":false}]}");

        AgentGroup g = fx.group(CoreFixture.unique("mounts"));
        fx.db.update("INSERT OR REPLACE INTO container_configs(agent_group_id, additional_mounts, updated_at) "
                        + "VALUES (?, ?, '2026-01-01T00:00:00Z')", g.id(),
                "[{\"hostPath\":\"" + shared + "\",\"readonly\":false},{\"hostPath\":\"" + outside + "\"}]");
        Session s = new Session("sess-mounts-1", g.id(), null, null, "active", "stopped", null);
        ContainerSpec spec = runner.spec(s, g, configFile.settings(g), config.groupsDir().resolve(g.folder()),
                config.dataDir().resolve("container-config").resolve(g.id() + ".json"), "token");

        List<ContainerSpec.Mount> extras = spec.mounts().stream()
                .filter(m -> m.containerPath().startsWith("/workspace/extra/")).collect(Collectors.toList());
        assertEquals(List.of(new ContainerSpec.Mount(shared.toString(), "/workspace/extra/shared", true)), extras);
        assertTrue(spec.mounts().stream().noneMatch(m -> m.hostPath().equals(outside.toString())));
        List<MountRejection> refused = rejections.forGroup(g.id());
        assertEquals(1, refused.size());
        assertEquals(outside.toString(), refused.get(0).hostPath());
        assertTrue(refused.get(0).reason().contains("not inside any allowed root"), refused.get(0).reason());
    }

    @Test
    void theCheckoutTheHostRunsFromIsNeverMounted() throws Exception {
        // Surefire runs in host/; the install home of this profile is a temp folder, so only the project-folder
        // rule can refuse this.
        Path checkout = Path.of("").toAbsolutePath().getParent().toRealPath();
        assertTrue(Files.isRegularFile(checkout.resolve("nanoclaw")), checkout.toString());
        writeAllowlist("{\"allowedRoots\":[{\"path\":\"" + checkout + "\"}]}");
        AgentGroup g = fx.group(CoreFixture.unique("mounts"));
        fx.db.update("INSERT OR REPLACE INTO container_configs(agent_group_id, additional_mounts, updated_at) "
                + "VALUES (?, ?, '2026-01-01T00:00:00Z')", g.id(), "[{\"hostPath\":\"" + checkout.resolve("docs")
                + "\"}]");
        Session s = new Session("sess-mounts-4", g.id(), null, null, "active", "stopped", null);
        ContainerSpec spec = runner.spec(s, g, configFile.settings(g), config.groupsDir().resolve(g.folder()),
                config.dataDir().resolve("container-config").resolve(g.id() + ".json"), "token");
        assertTrue(spec.mounts().stream().noneMatch(m -> m.containerPath().startsWith("/workspace/extra/")));
        String reason = rejections.forGroup(g.id()).get(0).reason();
        assertTrue(reason.contains("inside the NanoClaw project folder"), reason);
    }

    @Test
    void withoutAnAllowlistNothingExtraIsMounted() throws Exception {
        AgentGroup g = fx.group(CoreFixture.unique("mounts"));
        Path dir = Files.createTempDirectory("mount-any-").toRealPath();
        fx.db.update("INSERT OR REPLACE INTO container_configs(agent_group_id, additional_mounts, updated_at) "
                + "VALUES (?, ?, '2026-01-01T00:00:00Z')", g.id(), "[{\"hostPath\":\"" + dir + "\"}]");
        Files.deleteIfExists(config.mountAllowlist());
        Session s = new Session("sess-mounts-2", g.id(), null, null, "active", "stopped", null);
        ContainerSpec spec = runner.spec(s, g, configFile.settings(g), config.groupsDir().resolve(g.folder()),
                config.dataDir().resolve("container-config").resolve(g.id() + ".json"), "token");
        assertTrue(spec.mounts().stream().noneMatch(m -> m.containerPath().startsWith("/workspace/extra/")));
        assertTrue(rejections.forGroup(g.id()).get(0).reason().contains("no mount allowlist"));
    }

    @Test
    void brokenAdditionalMountsDoNotStopTheSpec() {
        AgentGroup g = fx.group(CoreFixture.unique("mounts"));
        fx.db.update("INSERT OR REPLACE INTO container_configs(agent_group_id, additional_mounts, updated_at) "
                + "VALUES (?, '[{oops', '2026-01-01T00:00:00Z')", g.id());
        Session s = new Session("sess-mounts-3", g.id(), null, null, "active", "stopped", null);
        ContainerSpec spec = runner.spec(s, g, configFile.settings(g), config.groupsDir().resolve(g.folder()),
                config.dataDir().resolve("container-config").resolve(g.id() + ".json"), "token");
        assertTrue(spec.mounts().stream().noneMatch(m -> m.containerPath().startsWith("/workspace/extra/")));
        assertTrue(spec.mounts().stream().anyMatch(m -> m.containerPath().equals("/workspace")));
        assertTrue(rejections.forGroup(g.id()).get(0).reason().contains("not valid JSON"));
    }
}
