package io.nanoclaw.runner.format;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * IANA zone names, validated the way the original's Intl check does: a known zone name (case-insensitive, like
 * Intl) is valid; POSIX strings such as {@code IST-2} and bare offsets are not, because the agent is told the
 * zone by name in every prompt header.
 */
public final class TimeZones {
    public static final ZoneId UTC = ZoneId.of("UTC");

    /** Names Intl reports as "UTC"; the header then reads the same as the original's. */
    private static final Set<String> UTC_ALIASES = Set.of("Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT",
            "Universal", "Zulu", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT", "GMT0", "GMT+0", "GMT-0",
            "Etc/Greenwich", "Greenwich");

    private static volatile Map<String, String> canonicalByLowerCase;

    private TimeZones() {}

    public static boolean isValid(String tz) {
        return canonical(tz) != null;
    }

    /** The zone for a name, or UTC when the name is not a valid IANA zone. */
    public static ZoneId resolve(String tz) {
        String c = canonical(tz);
        return c == null ? UTC : ZoneId.of(c);
    }

    /** The user's zone: TZ if valid, else the system zone if it is a named zone, else UTC. */
    public static ZoneId fromEnvironment(String tz) {
        String c = canonical(tz);
        if (c != null) {
            return ZoneId.of(c);
        }
        ZoneId system = ZoneId.systemDefault();
        String systemName = system instanceof ZoneOffset ? null : canonical(system.getId());
        return systemName == null ? UTC : ZoneId.of(systemName);
    }

    private static String canonical(String tz) {
        if (tz == null) {
            return null;
        }
        String t = tz.trim();
        if (t.startsWith(":")) {
            t = t.substring(1); // POSIX allows TZ=":Europe/Paris"
        }
        if (t.isEmpty()) {
            return null;
        }
        String id = names().get(t.toLowerCase(Locale.ROOT));
        return id != null && UTC_ALIASES.contains(id) ? "UTC" : id;
    }

    private static Map<String, String> names() {
        Map<String, String> m = canonicalByLowerCase;
        if (m == null) {
            m = new HashMap<>();
            for (String id : ZoneId.getAvailableZoneIds()) {
                m.put(id.toLowerCase(Locale.ROOT), id);
            }
            canonicalByLowerCase = m;
        }
        return m;
    }
}
