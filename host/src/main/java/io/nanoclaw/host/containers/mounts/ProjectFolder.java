package io.nanoclaw.host.containers.mounts;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the NanoClaw checkout (the repo root) the host runs from, which no extra mount may touch: a writable mount
 * of it would let an agent change the host's own code, a readable one would show it the install's .env when the
 * install home is the checkout (the default). The config doesn't know this folder, so it is looked for from two
 * places: the host's working directory and the folder its code was loaded from, each walked up to the nearest
 * folder holding both the {@code nanoclaw} launcher and a {@code pom.xml}. The working directory itself is not
 * taken as is: started from {@code ~} it would put the whole home off limits. The install home is protected
 * separately (and is the checkout unless NANOCLAW_HOME says otherwise).
 */
public final class ProjectFolder {
    private ProjectFolder() {}

    /** The checkouts found from the working directory and the code location; empty for a stand-alone binary. */
    public static Set<Path> find() {
        Set<Path> out = new LinkedHashSet<>();
        checkoutAround(Path.of("").toAbsolutePath()).ifPresent(out::add);
        codeLocation().flatMap(ProjectFolder::checkoutAround).ifPresent(out::add);
        return out;
    }

    /** The nearest folder at or above {@code start} that looks like a NanoClaw checkout. */
    static Optional<Path> checkoutAround(Path start) {
        for (Path p = PathRules.realOrNormal(start); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("nanoclaw")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Where this class was loaded from (a jar or classes folder under the checkout); empty in a native image. */
    private static Optional<Path> codeLocation() {
        try {
            CodeSource cs = ProjectFolder.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null || !"file".equals(cs.getLocation().getProtocol())) {
                return Optional.empty();
            }
            return Optional.of(Path.of(cs.getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
