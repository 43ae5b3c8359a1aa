package io.nanoclaw.runner.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.log.Log;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The current conversation: its turns in memory and in {@code {stateDir}/{uuid}.jsonl}, the uuid being the
 * continuation in session_state, so a restarted container picks up where the last one stopped.
 */
public final class ConversationHistory {
    private final Path dir;
    private final ContinuationSlot slot;
    private final List<ObjectNode> turns = new ArrayList<>();
    private String id;

    private ConversationHistory(Path dir, ContinuationSlot slot) {
        this.dir = dir;
        this.slot = slot;
    }

    /**
     * A conversation kept in memory only, never persisted and with no continuation: a subagent's (the Task tool),
     * which lives for one tool call.
     */
    public static ConversationHistory ephemeral() {
        ConversationHistory h = new ConversationHistory(null, null);
        h.id = "ephemeral";
        return h;
    }

    /** Loads the conversation the continuation names; a missing, corrupt or foreign one starts a fresh one. */
    public static ConversationHistory resume(Path dir, ContinuationSlot slot) throws SQLException {
        ConversationHistory h = new ConversationHistory(dir, slot);
        Optional<String> continuation = slot.get();
        if (continuation.isPresent()) {
            String c = continuation.get();
            if (!isUuid(c)) {
                Log.warn("history", slot.key() + " is not one of ours, starting a new conversation");
            } else {
                try {
                    h.turns.addAll(ConversationFile.load(h.file(c)));
                    h.id = c;
                    Log.info("history", "resumed conversation " + c + " (" + h.turns.size() + " turns)");
                    return h;
                } catch (NoSuchFileException e) {
                    Log.info("history", "conversation " + c + " has no history file, starting a new one");
                } catch (IOException e) {
                    Log.warn("history", "conversation " + c + " is unreadable (" + Log.describe(e)
                            + "), starting a new one");
                }
            }
        }
        h.startNew();
        return h;
    }

    /** A new, empty conversation; its id is persisted at once so that a crash can't lose the switch. */
    public void startNew() throws SQLException {
        String next = UUID.randomUUID().toString();
        slot.set(next);
        id = next;
        turns.clear();
        Log.info("history", "new conversation " + next);
    }

    /**
     * Compaction: a new conversation that starts with the given exchange (the summary of the old one). The old
     * file stays on disk; the continuation moves to the new one at once.
     */
    public void startNewWith(List<ObjectNode> exchange) throws SQLException {
        startNew();
        record(exchange);
    }

    public String id() {
        return id;
    }

    public int size() {
        return turns.size();
    }

    /** The whole history followed by {@code next}: the messages array of the next request. */
    public List<ObjectNode> turnsWith(ObjectNode next) {
        return turnsWith(List.of(next));
    }

    /** The whole history followed by the turns of the exchange in progress (not yet recorded). */
    public List<ObjectNode> turnsWith(List<ObjectNode> pending) {
        List<ObjectNode> all = new ArrayList<>(turns.size() + pending.size());
        all.addAll(turns);
        all.addAll(pending);
        return all;
    }

    /**
     * Records one answered exchange. Called only after a successful answer, so a failed call never leaves a
     * user turn without its answer (the API requires alternating roles). A failed file write is logged and the
     * conversation goes on in memory: losing persistence beats losing the reply.
     */
    public void record(ObjectNode user, ObjectNode assistant) {
        record(List.of(user, assistant));
    }

    /**
     * Records one whole exchange: the user turn, then any assistant tool_use / user tool_result pairs, then the
     * final assistant turn, in one append. Called only after the turn ended successfully, so the history never
     * holds a tool_use without its tool_result (the API rejects that).
     */
    public void record(List<ObjectNode> exchange) {
        if (exchange.isEmpty() || exchange.size() % 2 != 0) {
            throw new IllegalArgumentException("an exchange is user/assistant pairs, got " + exchange.size() + " turns");
        }
        turns.addAll(exchange);
        if (dir == null) {
            return; // ephemeral
        }
        try {
            ConversationFile.append(file(id), exchange);
        } catch (IOException e) {
            Log.error("history", "cannot append to " + file(id), e);
        }
    }

    Path file(String conversationId) {
        return dir.resolve(conversationId + ".jsonl");
    }

    /** The continuation names a file, so only a canonical uuid is accepted (no path tricks). */
    private static boolean isUuid(String s) {
        try {
            return UUID.fromString(s).toString().equals(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
