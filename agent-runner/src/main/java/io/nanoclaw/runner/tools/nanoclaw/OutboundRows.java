package io.nanoclaw.runner.tools.nanoclaw;

import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.OutboundMessage;
import java.sql.SQLException;
import java.util.List;

/** Writes one tool row through the runner's writer (odd seq, one BEGIN IMMEDIATE transaction). */
final class OutboundRows {
    private OutboundRows() {}

    /** Returns the row id. */
    static String write(NanoclawToolEnv env, OutboundMessage m) throws SQLException {
        return env.outbound().write(List.of(m), List.of(), AckStatus.COMPLETED, env.inbound()).get(0);
    }

    /** Returns the seq the row got: the agent refers to messages by seq. */
    static long writeForSeq(NanoclawToolEnv env, OutboundMessage m) throws SQLException {
        String id = write(env, m);
        return env.outbound().seqOf(id).orElseThrow(() -> new SQLException("row " + id + " vanished after insert"));
    }
}
