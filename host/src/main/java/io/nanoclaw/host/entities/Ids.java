package io.nanoclaw.host.entities;

import io.nanoclaw.protocol.MessageIds;

/** Central-DB ids: a short prefix that says what the row is, then time and randomness. */
public final class Ids {
    private Ids() {}

    public static String agentGroup() { return MessageIds.next("ag"); }
    public static String messagingGroup() { return MessageIds.next("mg"); }
    public static String wiring() { return MessageIds.next("mga"); }
    public static String session() { return MessageIds.next("sess"); }
}
