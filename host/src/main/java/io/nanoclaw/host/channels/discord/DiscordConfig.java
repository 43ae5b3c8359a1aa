package io.nanoclaw.host.channels.discord;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The Discord settings (env vars or {@code $NANOCLAW_HOME/.env}): {@code DISCORD_BOT_TOKEN} (absent: the channel is
 * off), {@code DISCORD_API_BASE_URL} (REST, up to and including {@code /api/v10}) and {@code DISCORD_GATEWAY_URL}
 * (optional; by default the URL that {@code GET /gateway/bot} names).
 */
public record DiscordConfig(Optional<String> token, String apiBaseUrl, Optional<String> gatewayUrl) {
    public static final String DEFAULT_API_BASE_URL = "https://discord.com/api/v10";

    public static DiscordConfig fromEnv() {
        Config c = ConfigProvider.getConfig();
        return new DiscordConfig(str(c, "DISCORD_BOT_TOKEN").map(DiscordConfig::stripBotPrefix),
                trimSlash(str(c, "DISCORD_API_BASE_URL").orElse(DEFAULT_API_BASE_URL)),
                str(c, "DISCORD_GATEWAY_URL"));
    }

    private static Optional<String> str(Config c, String key) {
        return c.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** People paste "Bot abc…" from examples; the header adds "Bot " itself. */
    static String stripBotPrefix(String token) {
        return token.regionMatches(true, 0, "Bot ", 0, 4) ? token.substring(4).strip() : token;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() { // never the token
        return "DiscordConfig[token=" + (token.isPresent() ? "<set>" : "<unset>") + ", apiBaseUrl=" + apiBaseUrl
                + ", gatewayUrl=" + gatewayUrl.orElse("<from GET /gateway/bot>") + "]";
    }
}
