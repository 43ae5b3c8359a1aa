package io.nanoclaw.protocol;

/**
 * Seq parity: the agent refers to messages by seq, and parity says which table a seq lives in. The host numbers
 * inbound rows with even seqs, the container numbers outbound rows with odd seqs. Only the writers enforce it,
 * each under its own write transaction.
 */
public final class Seq {
    private Seq() {}

    /** Next even seq above the current maximum of messages_in (0 or null when empty). */
    public static long nextHostSeq(long maxInbound) {
        long next = maxInbound + 1;
        return (next % 2 == 0) ? next : next + 1;
    }

    /** Next odd seq above the maximum across both tables, so the agent never sees one number twice. */
    public static long nextContainerSeq(long maxInbound, long maxOutbound) {
        long next = Math.max(maxInbound, maxOutbound) + 1;
        return (next % 2 == 1) ? next : next + 1;
    }

    public static boolean isInbound(long seq) {
        return seq % 2 == 0;
    }
}
