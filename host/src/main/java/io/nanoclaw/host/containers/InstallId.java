package io.nanoclaw.host.containers;

import io.nanoclaw.host.config.HostConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id of this install home, put on every container as label {@code nanoclaw-install=<id>} so that two installs
 * on one machine never reap each other's containers. Derived from the home's absolute path: stable across restarts
 * and DB resets.
 */
@Singleton
public class InstallId {
    public static final String LABEL = "nanoclaw-install";
    private final String id;

    @Inject
    public InstallId(HostConfig config) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(config.home().toString().getBytes(StandardCharsets.UTF_8));
            this.id = HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String value() {
        return id;
    }
}
