package io.nanoclaw.runner.tools.nanoclaw;

import io.nanoclaw.protocol.Seq;
import io.nanoclaw.runner.store.RowRef;
import io.nanoclaw.runner.store.Routing;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Maps the seq the agent saw to what an edit or reaction needs (agent-runner.md 3.2): the message's id for the
 * platform and the chat it is in. Parity says the table: an even seq is an inbound row, whose id the host maps to
 * the platform's id; an odd seq is one of ours, known to the platform by the id delivery recorded, else by our
 * row id (the host resolves that one once it has delivered it).
 */
final class MessageRefs {
    private MessageRefs() {}

    /** The target of an edit or reaction. */
    record Target(String messageId, Routing routing) {}

    static Target resolve(NanoclawToolEnv env, long seq) throws Refusal, SQLException {
        String platformId;
        Optional<RowRef> row;
        if (Seq.isInbound(seq)) {
            row = env.inbound().bySeq(seq);
            platformId = row.map(RowRef::id).orElse(null);
        } else {
            row = env.outbound().bySeq(seq);
            platformId = row.isEmpty() ? null
                    : env.inbound().deliveredPlatformId(row.get().id()).orElse(row.get().id());
        }
        if (platformId == null) {
            throw new Refusal("Message #" + seq + " not found");
        }
        Routing r = row.get().routing();
        if (r == null || empty(r.channelType()) || empty(r.platformId())) {
            throw new Refusal("Cannot determine destination for message #" + seq);
        }
        return new Target(platformId, r);
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
