package io.nanoclaw.host.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.Now;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Questions an agent asked (ask_user_question cards), kept so an answer can find its way back (host.md 6.7). */
@Singleton
public class PendingQuestions {
    @Inject
    Db db;

    /** The card an ask_question row shows: its question id, title, text and option labels. */
    static io.nanoclaw.host.channels.ChoiceCard card(JsonNode content) {
        java.util.List<String> labels = new java.util.ArrayList<>();
        for (JsonNode o : content.path("options")) {
            labels.add(o.path("label").asText(o.path("value").asText("")));
        }
        return new io.nanoclaw.host.channels.ChoiceCard(content.path("questionId").asText(),
                content.path("title").asText(""), content.path("question").asText(""), labels);
    }

    void remember(Session s, OutboundRow row, JsonNode content) throws UndeliverableException {
        String questionId = content.path("questionId").asText("");
        if (!questionId.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new UndeliverableException("ask_question without a valid questionId");
        }
        db.update("INSERT OR IGNORE INTO pending_questions(question_id, session_id, message_out_id, platform_id, "
                        + "channel_type, thread_id, title, options_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                questionId, s.id(), row.id(), row.platformId(), row.channelType(), row.threadId(),
                content.path("title").asText(null), content.path("options").toString(), Now.iso());
    }
}
