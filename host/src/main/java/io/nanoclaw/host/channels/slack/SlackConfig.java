package io.nanoclaw.host.channels.slack;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The Slack settings, from env vars or {@code $NANOCLAW_HOME/.env} (docs/channels/slack.md).
 *
 * @param botToken    SLACK_BOT_TOKEN, the bot user's OAuth token ({@code xoxb-…}): every Web API call
 * @param appToken    SLACK_APP_TOKEN, an app-level token ({@code xapp-…}) with {@code connections:write}: only
 *                    apps.connections.open, which hands out the Socket Mode WebSocket URL
 * @param apiBaseUrl  SLACK_API_BASE_URL, default {@code https://slack.com/api} (tests point it at a fake)
 */
public record SlackConfig(String botToken, String appToken, String apiBaseUrl) {
    public static final String DEFAULT_API_BASE_URL = "https://slack.com/api";

    public static SlackConfig fromEnv() {
        Config c = ConfigProvider.getConfig();
        String base = str(c, "SLACK_API_BASE_URL").orElse(DEFAULT_API_BASE_URL);
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return new SlackConfig(str(c, "SLACK_BOT_TOKEN").orElse(null), str(c, "SLACK_APP_TOKEN").orElse(null), base);
    }

    /** Why the adapter can't start, naming the missing setting(s); empty when both tokens are set. */
    public Optional<String> notConfigured() {
        boolean bot = botToken == null;
        boolean app = appToken == null;
        if (bot && app) {
            return Optional.of("SLACK_BOT_TOKEN and SLACK_APP_TOKEN are not set");
        }
        if (bot) {
            return Optional.of("SLACK_BOT_TOKEN is not set");
        }
        if (app) {
            return Optional.of("SLACK_APP_TOKEN is not set (an app-level token with connections:write, for Socket "
                    + "Mode)");
        }
        return Optional.empty();
    }

    /** A token of the wrong kind in either setting, said before Slack is asked; empty when they look right. */
    public Optional<String> tokenKindProblem() {
        if (botToken.startsWith("xapp-")) {
            return Optional.of("SLACK_BOT_TOKEN holds an app-level token (xapp-…); it must be the bot token (xoxb-…)");
        }
        if (appToken.startsWith("xox")) {
            return Optional.of("SLACK_APP_TOKEN holds an OAuth token (xox…); it must be an app-level token (xapp-…) "
                    + "with connections:write");
        }
        return Optional.empty();
    }

    private static Optional<String> str(Config c, String key) {
        return c.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    @Override
    public String toString() {
        return "SlackConfig[apiBaseUrl=" + apiBaseUrl + ", tokens masked]";
    }
}
