package io.nanoclaw.runner.store;

import java.sql.SQLException;

/** The highest seq in messages_in, read while the outbound write transaction holds its lock. */
@FunctionalInterface
public interface MaxSeqSource {
    long maxInboundSeq() throws SQLException;
}
