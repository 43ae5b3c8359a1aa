package io.nanoclaw.runner.history;

import io.nanoclaw.runner.store.OutboundStore;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * The continuation of one provider in outbound {@code session_state}, key {@code continuation:<provider>}. One slot
 * per provider, so an id from another runtime (a Claude Code session id) is never resumed here.
 */
public final class ContinuationSlot {
    static final String LEGACY_KEY = "sdk_session_id";

    private final OutboundStore store;
    private final String key;

    public ContinuationSlot(OutboundStore store, String provider) {
        this.store = store;
        this.key = "continuation:" + provider.toLowerCase(Locale.ROOT);
    }

    public String key() {
        return key;
    }

    public Optional<String> get() throws SQLException {
        return store.readState(key).filter(v -> !v.isBlank());
    }

    public void set(String continuation) throws SQLException {
        store.writeState(key, continuation);
    }

    public void clear() throws SQLException {
        store.deleteState(key);
    }

    /**
     * agent-runner.md 1.8: the original's single {@code sdk_session_id} row is always removed at start, and its
     * value adopted only when this slot is empty. (A Claude Code id then fails our uuid check and a new
     * conversation starts, which is the point of keeping one slot per provider.)
     *
     * @return the slot's value afterwards
     */
    public Optional<String> migrateLegacy() throws SQLException {
        Optional<String> legacy = store.readState(LEGACY_KEY).filter(v -> !v.isBlank());
        Optional<String> current = get();
        if (current.isEmpty() && legacy.isPresent()) {
            set(legacy.get());
            current = legacy;
        }
        store.deleteState(LEGACY_KEY);
        return current;
    }
}
