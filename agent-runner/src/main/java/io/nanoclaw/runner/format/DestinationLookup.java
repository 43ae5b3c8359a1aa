package io.nanoclaw.runner.format;

import java.sql.SQLException;
import java.util.Optional;

/** Reverse lookup in inbound {@code destinations}: what does this agent call the origin of a message? */
@FunctionalInterface
public interface DestinationLookup {
    /** For channel type "agent", platformId is the source agent group id. Both must be non-empty to match. */
    Optional<String> nameFor(String channelType, String platformId) throws SQLException;

    DestinationLookup NONE = (ct, pid) -> Optional.empty();
}
