package io.nanoclaw.host.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings, the reasons the channel stays off, and that the token never shows. */
class TelegramConfigTest {
    private static TelegramConfig of(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return TelegramConfig.from(k -> Optional.ofNullable(m.get(k)));
    }

    @Test
    void withoutATokenTheChannelIsOffAndSaysWhy() {
        assertEquals(Optional.of("TELEGRAM_BOT_TOKEN is not set"), of().notConfigured());
        assertEquals(Optional.of("TELEGRAM_BOT_TOKEN is not set"), of("TELEGRAM_BOT_TOKEN", "  ").notConfigured());
    }

    @Test
    void defaultsAndUrls() {
        TelegramConfig c = of("TELEGRAM_BOT_TOKEN", "123:abc");
        assertTrue(c.notConfigured().isEmpty());
        assertEquals("https://api.telegram.org", c.baseUrl());
        assertEquals(30, c.pollTimeoutSeconds());
        assertEquals("https://api.telegram.org/bot123:abc/getMe", c.methodUrl("getMe"));
        assertEquals("https://api.telegram.org/file/bot123:abc/photos/a.jpg", c.fileUrl("photos/a.jpg"));
        TelegramConfig local = of("TELEGRAM_BOT_TOKEN", "123:abc", "TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/",
                "TELEGRAM_POLL_TIMEOUT", "5");
        assertEquals("http://127.0.0.1:8081/bot123:abc/sendMessage", local.methodUrl("sendMessage"));
        assertEquals(5, local.pollTimeoutSeconds());
    }

    @Test
    void badValuesKeepTheChannelOffWithAReasonThatNamesTheSetting() {
        assertEquals(Optional.of("TELEGRAM_POLL_TIMEOUT must be a whole number of seconds from 0 to 50, not '99'"),
                of("TELEGRAM_BOT_TOKEN", "1:a", "TELEGRAM_POLL_TIMEOUT", "99").notConfigured());
        assertTrue(of("TELEGRAM_BOT_TOKEN", "1:a/../x").notConfigured().orElseThrow()
                .startsWith("TELEGRAM_BOT_TOKEN does not look like a bot token"));
        assertTrue(of("TELEGRAM_BOT_TOKEN", "1:a", "TELEGRAM_API_BASE_URL", "ftp://x").notConfigured().orElseThrow()
                .startsWith("TELEGRAM_API_BASE_URL must be an http"));
    }

    @Test
    void theTokenNeverShows() {
        TelegramConfig c = of("TELEGRAM_BOT_TOKEN", "123:secret-part");
        assertFalse(c.toString().contains("secret"), c.toString());
        assertFalse(of("TELEGRAM_BOT_TOKEN", "1:secret/x").notConfigured().orElseThrow().contains("secret"));
    }
}
