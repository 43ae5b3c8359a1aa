package io.nanoclaw.host.channels.signal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The Signal channel's settings, read from env / {@code .env} (docs/channels/signal.md). {@code account} empty means
 * the channel is off.
 *
 * @param account        SIGNAL_ACCOUNT: the bot's number in +E.164 form
 * @param host           host part of SIGNAL_RPC_ADDRESS (default 127.0.0.1)
 * @param port           port part of SIGNAL_RPC_ADDRESS (default 7583, signal-cli's default for {@code --tcp})
 * @param attachmentsDir SIGNAL_ATTACHMENTS_DIR: where signal-cli stores received attachments (fallback when the
 *                       daemon has no {@code getAttachment})
 * @param assistantName  ASSISTANT_NAME: a group message that names the assistant counts as a mention
 * @param rpcTimeout     SIGNAL_RPC_TIMEOUT_MS: how long a request waits for its response (default 30 s)
 */
public record SignalConfig(Optional<String> account, String host, int port, Path attachmentsDir,
                           String assistantName, Duration rpcTimeout) {
    public static final int DEFAULT_PORT = 7583;

    public static SignalConfig fromEnvironment() {
        Config c = ConfigProvider.getConfig();
        Optional<String> account = str(c, "SIGNAL_ACCOUNT");
        String address = str(c, "SIGNAL_RPC_ADDRESS").orElse("127.0.0.1:" + DEFAULT_PORT);
        String home = System.getProperty("user.home", ".");
        Path attachments = str(c, "SIGNAL_ATTACHMENTS_DIR").map(Path::of)
                .orElse(Path.of(home, ".local", "share", "signal-cli", "attachments"));
        long timeoutMs = str(c, "SIGNAL_RPC_TIMEOUT_MS").map(SignalConfig::parseTimeout).orElse(30_000L);
        return of(account.orElse(null), address, attachments, str(c, "ASSISTANT_NAME").orElse("Andy"),
                Duration.ofMillis(timeoutMs));
    }

    /** For tests and for {@link #fromEnvironment}: parses {@code host:port} (a bare host gets port 7583). */
    public static SignalConfig of(String account, String address, Path attachmentsDir, String assistantName,
                                  Duration rpcTimeout) {
        String a = address.strip();
        String host = a;
        int port = DEFAULT_PORT;
        int colon = a.lastIndexOf(':');
        if (colon > 0 && a.indexOf(':') == colon) {
            host = a.substring(0, colon);
            try {
                port = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SIGNAL_RPC_ADDRESS must be host:port, not '" + address + "'");
            }
        } else if (a.startsWith("[") && a.contains("]:")) { // [::1]:7583
            host = a.substring(1, a.indexOf(']'));
            port = Integer.parseInt(a.substring(a.indexOf("]:") + 2));
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SIGNAL_RPC_ADDRESS has a bad port: '" + address + "'");
        }
        return new SignalConfig(Optional.ofNullable(account).map(String::strip).filter(s -> !s.isEmpty()), host,
                port, attachmentsDir, assistantName, rpcTimeout);
    }

    /** Why the channel can't start, or empty. */
    public Optional<String> notConfigured() {
        if (account.isEmpty()) {
            return Optional.of("SIGNAL_ACCOUNT is not set");
        }
        if (!account.get().matches("\\+[1-9][0-9]{6,14}")) {
            return Optional.of("SIGNAL_ACCOUNT must be the bot's number in +E.164 form (like +15551234567)");
        }
        return Optional.empty();
    }

    public String address() {
        return host + ":" + port;
    }

    private static long parseTimeout(String v) {
        try {
            return Math.max(100, Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SIGNAL_RPC_TIMEOUT_MS must be a number of milliseconds, not '" + v
                    + "'");
        }
    }

    private static Optional<String> str(Config c, String key) {
        return c.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }
}
