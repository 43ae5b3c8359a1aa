package io.nanoclaw.host.approvals;

import java.util.List;

/** A row of pending_questions with its options parsed: an agent's question waiting for an answer in a chat. */
public record PendingQuestion(String questionId, String sessionId, String messageOutId, String channelType,
                              String platformId, String threadId, String title, List<Option> options,
                              String createdAt) {
    public record Option(String label, String selectedLabel, String value) {}

    public List<String> labels() {
        return options.stream().map(Option::label).toList();
    }
}
