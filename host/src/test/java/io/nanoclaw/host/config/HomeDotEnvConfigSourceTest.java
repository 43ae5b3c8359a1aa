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
}
