package io.nanoclaw.host.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.delivery.SystemActionHandler;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** {@code {action: "question_timeout", questionId}}: the agent stopped waiting for an answer; its card is closed. */
@Singleton
public class QuestionTimeoutHandler implements SystemActionHandler {
    @Inject
    QuestionAnswers questions;

    @Override
    public String action() {
        return "question_timeout";
    }

    @Override
    public void handle(Session session, JsonNode content) {
        String id = content.path("questionId").asText("");
        questions.expire(session, id.matches("[A-Za-z0-9._:-]{1,128}") ? id : null);
    }
}
