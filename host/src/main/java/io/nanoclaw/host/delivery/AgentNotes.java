package io.nanoclaw.host.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.protocol.MessageIds;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Notes from the host to an agent (host.md 6.10): a chat row from channel 'agent' addressed to its own group, with
 * sender 'system'. Written as context (trigger 0): the agent reads it with its next batch, and a note about a
 * failed delivery can't start a loop of failing replies.
 */
@Singleton
public class AgentNotes {
    @Inject
    InboundWriter inbound;

    private final ObjectMapper mapper = new ObjectMapper();

    public void tell(Session s, String text) {
        write(s, text, false);
    }

    /**
     * A note the agent should act on now (its request was refused): written with trigger 1, so the running agent
     * picks it up at once and a stopped one is woken by the sweep. Its answer goes to the session's chat.
     */
    public void tellAndWake(Session s, String text) {
        write(s, text, true);
    }

    /**
     * A note for the container that starts next (host.md 5.5 restarts): {@code on_wake=1}, so only a freshly
     * started runner sees it, on its first poll.
     */
    public void tellOnWake(Session s, String text) {
        write(s, text, true, true);
    }

    private void write(Session s, String text, boolean trigger) {
        write(s, text, trigger, false);
    }

    private void write(Session s, String text, boolean trigger, boolean onWake) {
        String content = mapper.createObjectNode().put("text", text).put("sender", "system")
                .put("senderId", "system").toString();
        inbound.write(s.agentGroupId(), s.id(), new InboundRow(MessageIds.next("note"), "chat", s.agentGroupId(),
                "agent", null, content, trigger, onWake, null, null));
    }
}
