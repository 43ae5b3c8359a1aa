package io.nanoclaw.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the host looks for the mount allowlist. */
class MountAllowlistSettingTest {
    @Test
    void theSettingWinsAndExpandsTilde() {
        assertEquals(Path.of("/etc/nanoclaw/allow.json"), HostConfig.mountAllowlist("/etc/nanoclaw/allow.json",
                "/x", "/home/u"));
        assertEquals(Path.of("/home/u/allow.json"), HostConfig.mountAllowlist("~/allow.json", null, "/home/u"));
    }

    @Test
    void elseXdgConfigHomeElseDotConfig() {
        assertEquals(Path.of("/cfg/nanoclaw/mount-allowlist.json"), HostConfig.mountAllowlist(null, "/cfg", "/home/u"));
        assertEquals(Path.of("/home/u/.config/nanoclaw/mount-allowlist.json"),
                HostConfig.mountAllowlist(null, null, "/home/u"));
        // A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
        assertEquals(Path.of("/home/u/.config/nanoclaw/mount-allowlist.json"),
                HostConfig.mountAllowlist(null, "rel", "/home/u"));
    }
}
