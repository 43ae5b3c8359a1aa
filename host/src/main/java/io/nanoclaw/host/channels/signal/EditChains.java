package io.nanoclaw.host.channels.signal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signal chains edits: each edit gets its own timestamp, and the next edit must target the newest one (a client
 * silently drops an edit that targets the original again); an incoming edit targets the previous revision. This
 * remembers, in memory and bounded, original → newest for our messages and revision → original for users'
 * messages, so the host can keep naming a message by its first id. After a restart an edit targets the original
 * timestamp again, which works for the first edit after it.
 */
final class EditChains {
    static final int MAX_ENTRIES = 5_000;

    private final Map<String, Long> latestOfOurs = lru();
    private final Map<String, Long> originalOfTheirs = lru();

    /** The timestamp our next edit of this message must target. */
    synchronized long target(MessageRef original) {
        return latestOfOurs.getOrDefault(original.id(), original.timestamp());
    }

    synchronized void edited(MessageRef original, long newTimestamp) {
        latestOfOurs.put(original.id(), newTimestamp);
    }

    /** A user's edit of revision {@code target} arrived with timestamp {@code editTs}: the original's timestamp. */
    synchronized long originalOf(String author, long target, long editTs) {
        long original = originalOfTheirs.getOrDefault(author + "@" + target, target);
        originalOfTheirs.put(author + "@" + editTs, original);
        return original;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }
}
