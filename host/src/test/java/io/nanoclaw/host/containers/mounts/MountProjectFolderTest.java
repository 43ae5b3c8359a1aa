package io.nanoclaw.host.containers.mounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkout is found by walking up to the folder with the launcher and the parent pom. */
class MountProjectFolderTest {
    @TempDir
    Path tmp;

    @Test
    void theNearestCheckoutAboveIsFound() throws Exception {
        Path checkout = Files.createDirectories(tmp.toRealPath().resolve("src/nanoclaw"));
        Files.writeString(checkout.resolve("nanoclaw"), "#!/bin/sh");
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        Path deep = Files.createDirectories(checkout.resolve("host/target/quarkus-app/app"));
        assertEquals(Optional.of(checkout), ProjectFolder.checkoutAround(deep));
        assertEquals(Optional.empty(), ProjectFolder.checkoutAround(tmp.resolve("src")));
    }

    @Test
    void theTestsOwnCheckoutIsFound() {
        assertTrue(ProjectFolder.find().stream().anyMatch(p -> Files.isRegularFile(p.resolve("nanoclaw"))),
                ProjectFolder.find().toString());
    }
}
