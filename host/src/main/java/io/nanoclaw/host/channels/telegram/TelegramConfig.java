package io.nanoclaw.host.channels.telegram;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The Telegram settings (env or {@code $NANOCLAW_HOME/.env}): {@code TELEGRAM_BOT_TOKEN} (from @BotFather; without
 * it the channel is off), {@code TELEGRAM_API_BASE_URL} (default {@code https://api.telegram.org}; a local Bot API
 * server or a test fake) and {@code TELEGRAM_POLL_TIMEOUT} (long-poll seconds, 0 to 50, default 30). A bad value
 * keeps the channel off with a reason that names the setting; the token never appears in it.
 */
public record TelegramConfig(Optional<String> token, String baseUrl, int pollTimeoutSeconds, String problem) {
    public static final String DEFAULT_BASE_URL = "https://api.telegram.org";
    public static final int DEFAULT_POLL_TIMEOUT = 30;

    public static TelegramConfig load() {
        Config c = ConfigProvider.getConfig();
        return from(key -> c.getOptionalValue(key, String.class));
    }

    /** Parses the settings from any lookup (tests pass a map). */
    public static TelegramConfig from(Function<String, Optional<String>> lookup) {
        Optional<String> token = clean(lookup.apply("TELEGRAM_BOT_TOKEN"));
        String base = clean(lookup.apply("TELEGRAM_API_BASE_URL")).orElse(DEFAULT_BASE_URL);
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String problem = null;
        int timeout = DEFAULT_POLL_TIMEOUT;
        Optional<String> t = clean(lookup.apply("TELEGRAM_POLL_TIMEOUT"));
        if (t.isPresent()) {
            try {
                timeout = Integer.parseInt(t.get());
                if (timeout < 0 || timeout > 50) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                timeout = DEFAULT_POLL_TIMEOUT;
                problem = "TELEGRAM_POLL_TIMEOUT must be a whole number of seconds from 0 to 50, not '" + t.get()
                        + "'";
            }
        }
        if (token.isEmpty()) {
            problem = "TELEGRAM_BOT_TOKEN is not set";
        } else if (!token.get().matches("[A-Za-z0-9:_-]{1,200}")) {
            // it goes into every URL path: a slash or a space would send it somewhere else
            problem = "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon and letters, as "
                    + "@BotFather gives it)";
        }
        if (problem == null && !validBase(base)) {
            problem = "TELEGRAM_API_BASE_URL must be an http:// or https:// URL, not '" + base + "'";
        }
        return new TelegramConfig(token, base, timeout, problem);
    }

    private static boolean validBase(String base) {
        try {
            URI u = URI.create(base);
            return ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null
                    && u.getRawQuery() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<String> clean(Optional<String> v) {
        return v.map(String::strip).filter(s -> !s.isEmpty());
    }

    /** Why the channel can't start with these settings, or empty. */
    public Optional<String> notConfigured() {
        return Optional.ofNullable(problem);
    }

    /** {@code <base>/bot<token>/<method>}. */
    String methodUrl(String method) {
        return baseUrl + "/bot" + token.orElseThrow() + "/" + method;
    }

    /** {@code <base>/file/bot<token>/<file_path>}. */
    String fileUrl(String filePath) {
        return baseUrl + "/file/bot" + token.orElseThrow() + "/" + filePath;
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "TelegramConfig[baseUrl=" + baseUrl + ", pollTimeout=" + pollTimeoutSeconds + "s, token="
                + (token.isPresent() ? "<set>" : "<not set>") + "]";
    }
}
