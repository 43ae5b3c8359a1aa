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
}
