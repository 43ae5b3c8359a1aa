package io.nanoclaw.runner.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.history.ConversationHistory;
import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.provider.ProviderException;
import java.sql.SQLException;

/** The agent as the poll loop sees it: a prompt in, the final answer text out, with the history kept. */
public final class AgentSession {
    private final ModelProvider provider;
    private final String systemPrompt;
    private final ConversationHistory history;

    public AgentSession(ModelProvider provider, String systemPrompt, ConversationHistory history) {
        this.provider = provider;
        this.systemPrompt = systemPrompt;
        this.history = history;
    }

    /** One user turn; the tool loop of a later issue lives behind this same call. */
    public String respond(String prompt) throws ProviderException {
        ObjectNode userTurn = Turns.user(prompt);
        ModelReply reply = provider.complete(new ModelRequest(systemPrompt, history.turnsWith(userTurn)));
        String text = reply.text();
        if (text.isEmpty()) {
            // The API rejects empty text blocks, so an empty answer can't be stored as a turn; dropping the
            // exchange keeps the history valid (the user got no reply either).
            Log.warn("agent", "empty answer (stop=" + reply.stopReason() + "), not kept in the history");
        } else {
            history.record(userTurn, Turns.assistant(text));
        }
        return text;
    }

    /** /clear: a new conversation, whose id replaces the continuation at once. */
    public void clear() throws SQLException {
        history.startNew();
    }
}
