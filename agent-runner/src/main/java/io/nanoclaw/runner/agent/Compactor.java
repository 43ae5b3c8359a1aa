package io.nanoclaw.runner.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.history.ConversationHistory;
import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.tools.Tool;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compaction (agent-runner.md 1.9, 8.5): archive the conversation to {@code conversations/}, ask the model for a
 * summary with the same system prompt and tools (the request then hits the prompt cache, and the API needs the
 * tool definitions for the tool blocks in the history), and continue in a new conversation that starts from
 * the summary. A failure leaves the conversation as it was.
 */
final class Compactor {
    static final String NOTICE = "Context compacted (%d tokens compacted).";

    private final ModelProvider provider;
    private final Path conversationsDir;
    private final String assistantName;
    private final Clock clock;

    Compactor(ModelProvider provider, Path conversationsDir, String assistantName, Clock clock) {
        this.provider = provider;
        this.conversationsDir = conversationsDir;
        this.assistantName = assistantName;
        this.clock = clock;
    }

    /** @return the notice for the user */
    String compact(ConversationHistory history, String system, List<Tool> tools, List<String> destinations,
                   long contextTokens) throws ProviderException, SQLException {
        List<ObjectNode> old = history.turnsWith(List.of());
        Path archived;
        try {
            archived = ConversationArchive.write(conversationsDir, old, assistantName, ZonedDateTime.now(clock));
        } catch (IOException e) {
            throw new ProviderException("cannot archive the conversation before compacting it: " + e.getMessage(), e);
        }
        ModelReply reply = provider.complete(new ModelRequest(system,
                history.turnsWith(Turns.user(instructions(destinations))), tools));
        String summary = reply.text() == null ? "" : reply.text().strip();
        if (summary.isEmpty()) {
            throw new ProviderException("the model gave no summary (stop=" + reply.stopReason() + ")");
        }
        history.startNewWith(List.of(
                Turns.user("<system>This conversation was compacted to save context. The full text is archived "
                        + "in /workspace/agent/conversations/" + archived.getFileName() + ". Summary of everything "
                        + "before this point:\n\n" + summary + "</system>"),
                Turns.assistant("<internal>Continuing from the summary.</internal>")));
        Log.info("agent", "compacted " + old.size() + " turns (" + contextTokens + " tokens) into a summary of "
                + summary.length() + " characters; archive " + archived.getFileName());
        return String.format(NOTICE, contextTokens);
    }

    /** What the original's compact-instructions hook says, plus the always-wrap reminder with the destinations. */
    static String instructions(List<String> destinations) {
        String names = destinations.isEmpty() ? "(none)"
                : destinations.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
        return "<system>The conversation is being compacted to save context. Write a summary that lets you carry "
                + "on seamlessly: the user's goals and preferences, decisions made, work done and files touched, "
                + "open tasks and promises, and anything you were asked to remember. Keep the tags and attributes "
                + "(id, from, sender, time) of the most recent <message>, <task> and <webhook> elements, in order, "
                + "so you still know who said what and where to reply. Write only the summary: do not call tools "
                + "and do not address anyone. End with this reminder, verbatim: \"Wrap every message you deliver in "
                + "<message to=\\\"name\\\">…</message>. Destinations: " + names + ".\"</system>";
    }
}
