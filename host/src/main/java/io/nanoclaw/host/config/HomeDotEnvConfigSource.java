package io.nanoclaw.host.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Reads {@code $NANOCLAW_HOME/.env}. Quarkus reads a .env only from the working directory; the install home can be
 * elsewhere. Real env vars win (their ordinal is 300; this one sits just below, like Quarkus's own .env source).
 * Registered through META-INF/services, so no classpath scanning is involved.
 */
public class HomeDotEnvConfigSource implements ConfigSource {
    private final Map<String, String> values;

    public HomeDotEnvConfigSource() {
        this.values = load(InstallHome.resolve().resolve(".env"));
    }

    static Map<String, String> load(Path file) {
        Map<String, String> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("export ")) {
                    line = line.substring(7).strip();
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                out.put(key, value);
            }
        } catch (IOException e) {
            // An unreadable .env is reported by `doctor`; config then comes from the environment alone.
        }
        return out;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String name) {
        return values.get(name);
    }

    @Override
    public String getName() {
        return "nanoclaw-home-dotenv";
    }

    @Override
    public int getOrdinal() {
        return 295;
    }
}
