package io.nanoclaw.host.config;

import java.nio.file.Path;

/** The install home: {@code NANOCLAW_HOME} (env or system property), else the working directory. */
public final class InstallHome {
    private InstallHome() {}

    public static Path resolve() {
        String home = System.getProperty("NANOCLAW_HOME");
        if (home == null || home.isBlank()) {
            home = System.getenv("NANOCLAW_HOME");
        }
        if (home == null || home.isBlank()) {
            home = ".";
        }
        return Path.of(home).toAbsolutePath().normalize();
    }
}
