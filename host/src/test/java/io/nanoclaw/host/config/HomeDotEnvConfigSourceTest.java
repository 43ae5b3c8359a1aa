package io.nanoclaw.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install home's .env: the lines a user writes by hand, read as the settings they mean. */
class HomeDotEnvConfigSourceTest {
    @TempDir
    Path home;

    @Test
    void readsPlainQuotedAndExportedLinesAndSkipsTheRest() throws IOException {
        Files.writeString(home.resolve(".env"), String.join("\n",
                "# a comment",
                "ANTHROPIC_API_KEY=sk-ant-abc",
                "export ASSISTANT_NAME=\"Ada Lovelace\"",
                "  TZ = 'Europe/Berlin'  ",
                "not a setting",
                "=no key",
                "EMPTY=",
                ""));
        Map<String, String> v = HomeDotEnvConfigSource.load(home.resolve(".env"));
        assertEquals("sk-ant-abc", v.get("ANTHROPIC_API_KEY"));
        assertEquals("Ada Lovelace", v.get("ASSISTANT_NAME"));
        assertEquals("Europe/Berlin", v.get("TZ"));
        assertEquals("", v.get("EMPTY"));
        assertEquals(4, v.size());
    }

    @Test
    void aMissingFileGivesNoSettingsAndEnvVarsWin() {
        assertTrue(HomeDotEnvConfigSource.load(home.resolve("missing.env")).isEmpty());
        assertTrue(new HomeDotEnvConfigSource().getOrdinal() < 300, "real env vars (ordinal 300) override .env");
    }

    @Test
    void anInvalidTimeZoneFallsBackInsteadOfFailing() {
        assertEquals("Asia/Tokyo", HostConfig.zone("Asia/Tokyo").getId());
        assertFalse(HostConfig.zone("Not/AZone").getId().isEmpty());
        assertEquals(HostConfig.zone(null), HostConfig.zone("IST-2"));
    }

    @Test
    void aBadNumberSettingIsRefusedWithItsName() {
        var config = new io.smallrye.config.SmallRyeConfigBuilder().withSources(
                new io.smallrye.config.PropertiesConfigSource(Map.of("IDLE_TIMEOUT", "soon", "CONTAINER_UID", "5"),
                        "test", 500)).build();
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HostConfig.number(config, "IDLE_TIMEOUT", 600_000, 10_000, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("IDLE_TIMEOUT") && e.getMessage().contains("soon"), e.getMessage());
        assertEquals(5, HostConfig.number(config, "CONTAINER_UID", 1000, 1, Integer.MAX_VALUE));
        assertEquals(3001, HostConfig.number(config, "CREDENTIAL_PROXY_PORT", 3001, 1, 65535));
    }
}
