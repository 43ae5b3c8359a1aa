package io.nanoclaw.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

/** MAX_CONCURRENT_CONTAINERS: 4 unless set; a cap that would let nothing run stops the start, naming the setting. */
class MaxConcurrentContainersSettingTest {

    @Test
    void defaultsToFour() {
        assertEquals(4, withSettings(Map.of(), HostConfig::new).maxConcurrentContainers());
    }

    @Test
    void takesAPositiveValue() {
        assertEquals(1, withSettings(Map.of("MAX_CONCURRENT_CONTAINERS", "1"), HostConfig::new)
                .maxConcurrentContainers());
    }

    @Test
    void refusesZeroNegativeAndGarbageWithTheSettingsName() {
        for (String bad : new String[] {"0", "-2", "four"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> withSettings(Map.of("MAX_CONCURRENT_CONTAINERS", bad), HostConfig::new));
            assertTrue(e.getMessage().startsWith("MAX_CONCURRENT_CONTAINERS must be a whole number from 1"),
                    e.getMessage());
        }
    }

    /** Runs the supplier with exactly these settings as the config of a throw-away class loader. */
    private static <T> T withSettings(Map<String, String> settings, Supplier<T> make) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("NANOCLAW_HOME", System.getProperty("java.io.tmpdir"));
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        ClassLoader mine = new URLClassLoader(new URL[0], before);
        Config cfg = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(all, "test", 500)).build();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        resolver.registerConfig(cfg, mine);
        t.setContextClassLoader(mine);
        try {
            return make.get();
        } finally {
            t.setContextClassLoader(before);
            resolver.releaseConfig(cfg);
        }
    }
}
