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
        String content = mapper.createObjectNode().put("text", text).put("sender", "system")
                .put("senderId", "system").toString();
        inbound.write(s.agentGroupId(), s.id(), new InboundRow(MessageIds.next("note"), "chat", s.agentGroupId(),
                "agent", null, content, false, false, null, null));
    }
}
