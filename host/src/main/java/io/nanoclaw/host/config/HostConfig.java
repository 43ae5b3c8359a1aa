package io.nanoclaw.host.config;

import io.nanoclaw.protocol.JournalMode;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every user-facing setting, read once at start from env vars and {@code $NANOCLAW_HOME/.env}, under the names
 * docs/configuration.md lists. A @Singleton (not a client proxy), so reading it is a plain method call.
 */
@Singleton
public class HostConfig {
    private final Path home;
    private final String assistantName;
    private final ZoneId timeZone;
    private final String anthropicBaseUrl;
    private final Optional<String> anthropicApiKey;
    private final String openaiBaseUrl;
    private final Optional<String> openaiApiKey;
    private final String containerImage;
    private final JournalMode journalMode;
    private final int proxyPort;
    private final String proxyHostForContainers;
    private final int containerUid;
    private final Duration idleTimeout;
    private final int maxConcurrentContainers;
    private final boolean containersEnabled;
    private final Path mountAllowlist;
    private final int a2aMaxPerMinute;
    private final int a2aMaxChain;
    private final Duration approvalTtl;
    private final Optional<String> imageBuildNetwork;

    public HostConfig() {
        Config c = ConfigProvider.getConfig();
        // NANOCLAW_HOME from config too (tests set it there); the datasource URL reads the same key.
        this.home = str(c, "NANOCLAW_HOME").map(h -> java.nio.file.Path.of(h).toAbsolutePath().normalize())
                .orElseGet(InstallHome::resolve);
        this.assistantName = str(c, "ASSISTANT_NAME").orElse("Andy");
        this.timeZone = zone(str(c, "TZ").orElse(null));
        this.anthropicBaseUrl = trimSlash(str(c, "ANTHROPIC_BASE_URL").orElse("https://api.anthropic.com"));
        this.anthropicApiKey = str(c, "ANTHROPIC_API_KEY");
        // the OpenAI-compatible provider's server, up to and including /v1 (Ollama: http://localhost:11434/v1)
        this.openaiBaseUrl = trimSlash(str(c, "OPENAI_BASE_URL").orElse("https://api.openai.com/v1"));
        this.openaiApiKey = str(c, "OPENAI_API_KEY");
        this.containerImage = str(c, "CONTAINER_IMAGE").orElse("nanoclaw-agent:latest");
        this.journalMode = JournalMode.parse(str(c, "SESSION_JOURNAL_MODE").orElse("WAL"));
        this.proxyPort = (int) number(c, "CREDENTIAL_PROXY_PORT", 3001, 1, 65535);
        this.proxyHostForContainers = str(c, "CREDENTIAL_PROXY_HOST").orElse("host.docker.internal");
        this.containerUid = (int) number(c, "CONTAINER_UID", 1000, 1, Integer.MAX_VALUE);
        this.idleTimeout = Duration.ofMillis(number(c, "IDLE_TIMEOUT", 600_000, 10_000, Long.MAX_VALUE));
        this.maxConcurrentContainers = (int) number(c, "MAX_CONCURRENT_CONTAINERS", 4, 1, Integer.MAX_VALUE);
        this.containersEnabled = Boolean.parseBoolean(str(c, "NANOCLAW_CONTAINERS").orElse("true"));
        // Agent-to-agent caps (decisions.md): two agents answering each other must not run up a bill unseen.
        this.a2aMaxPerMinute = (int) number(c, "A2A_MAX_PER_MINUTE", 10, 1, Integer.MAX_VALUE);
        this.a2aMaxChain = (int) number(c, "A2A_MAX_CHAIN", 20, 1, Integer.MAX_VALUE);
        this.approvalTtl = Duration.ofMillis(number(c, "APPROVAL_TTL", 86_400_000, 60_000, Long.MAX_VALUE));
        // The network per-group image builds use (apt, npm): the engine's default unless set ("host", "none"…).
        this.imageBuildNetwork = str(c, "IMAGE_BUILD_NETWORK");
        this.mountAllowlist = mountAllowlist(str(c, "MOUNT_ALLOWLIST").orElse(null),
                str(c, "XDG_CONFIG_HOME").orElse(null), System.getProperty("user.home"));
    }

    private static Optional<String> str(Config c, String key) {
        return c.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A whole-number setting; a bad value stops the start with a message that names the setting. */
    static long number(Config c, String key, long dflt, long min, long max) {
        Optional<String> v = str(c, key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number from " + min
                    + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? " up" : " to " + max) + ", not '"
                    + v.get() + "'");
        }
    }

    /** A valid IANA zone from TZ, else the system zone, else UTC. */
    static ZoneId zone(String tz) {
        if (tz != null) {
            try {
                return ZoneId.of(tz);
            } catch (DateTimeException e) {
                // fall through to the system zone
            }
        }
        try {
            return ZoneId.systemDefault();
        } catch (DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    /**
     * MOUNT_ALLOWLIST ({@code ~/} expanded), else {@code $XDG_CONFIG_HOME/nanoclaw/mount-allowlist.json}, else
     * {@code ~/.config/nanoclaw/mount-allowlist.json}: outside the install home, where no agent mount reaches.
     */
    static Path mountAllowlist(String setting, String xdgConfigHome, String userHome) {
        if (setting != null) {
            String s = setting.equals("~") || setting.startsWith("~/") ? userHome + setting.substring(1) : setting;
            return Path.of(s).toAbsolutePath().normalize();
        }
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and to be ignored.
        Path config = xdgConfigHome != null && Path.of(xdgConfigHome).isAbsolute() ? Path.of(xdgConfigHome)
                : Path.of(userHome, ".config");
        return config.resolve("nanoclaw").resolve("mount-allowlist.json").normalize();
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public Path home() { return home; }
    public Path dataDir() { return home.resolve("data"); }
    public Path sessionsDir() { return dataDir().resolve("sessions"); }
    public Path groupsDir() { return home.resolve("groups"); }
    public Path cliSocket() { return dataDir().resolve("cli.sock"); }
    public String assistantName() { return assistantName; }
    public ZoneId timeZone() { return timeZone; }
    public String anthropicBaseUrl() { return anthropicBaseUrl; }
    public Optional<String> anthropicApiKey() { return anthropicApiKey; }
    public String openaiBaseUrl() { return openaiBaseUrl; }
    public Optional<String> openaiApiKey() { return openaiApiKey; }
    public String containerImage() { return containerImage; }
    public JournalMode journalMode() { return journalMode; }
    public int proxyPort() { return proxyPort; }
    public String proxyHostForContainers() { return proxyHostForContainers; }
    public int containerUid() { return containerUid; }
    public Duration idleTimeout() { return idleTimeout; }

    /** How long an approval card can be answered (APPROVAL_TTL, ms). */
    public Duration approvalTtl() { return approvalTtl; }
    public Optional<String> imageBuildNetwork() { return imageBuildNetwork; }
    public int maxConcurrentContainers() { return maxConcurrentContainers; }
    public boolean containersEnabled() { return containersEnabled; }
    public Path mountAllowlist() { return mountAllowlist; }
    public int a2aMaxPerMinute() { return a2aMaxPerMinute; }
    public int a2aMaxChain() { return a2aMaxChain; }
}
