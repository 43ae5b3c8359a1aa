package io.nanoclaw.host.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.ChoiceCard;
import io.nanoclaw.host.channels.ChoiceCards;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.delivery.OutboundReader;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.routing.SessionWaker;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.protocol.MessageIds;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Answers to an agent's ask_user_question card (host.md 6.7). The question was asked in a chat, so anyone in that
 * chat may answer; the answer goes back to the asking session as a {@code question_response} system row, which
 * wakes a stopped container.
 */
@Singleton
public class QuestionAnswers {
    private static final Logger LOG = Logger.getLogger(QuestionAnswers.class);
    private static final String COLS = "question_id, session_id, message_out_id, channel_type, platform_id, "
            + "thread_id, title, options_json, created_at";

    @Inject
    Db db;
    @Inject
    Sessions sessions;
    @Inject
    InboundWriter inbound;
    @Inject
    SessionWaker waker;
    @Inject
    ChoiceCards cards;
    @Inject
    OutboundReader outbound;
    @Inject
    io.nanoclaw.host.delivery.AgentNotes notes;
    @Inject
    io.nanoclaw.host.operator.HostUptime hostStart;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static PendingQuestion map(ResultSet rs) throws SQLException {
        List<PendingQuestion.Option> options = new ArrayList<>();
        try {
            JsonNode arr = MAPPER.readTree(rs.getString(8) == null ? "[]" : rs.getString(8));
            for (JsonNode o : arr) {
                String label = o.path("label").asText(o.path("value").asText(""));
                options.add(new PendingQuestion.Option(label, o.path("selectedLabel").asText(label),
                        o.path("value").asText(label)));
            }
        } catch (IOException e) {
            // stored by delivery from a parsed node: unreadable only if edited by hand; no options then
        }
        return new PendingQuestion(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), options, rs.getString(9));
    }

    public Optional<PendingQuestion> byKey(String key) {
        if (!key.startsWith("~")) {
            return db.one("SELECT " + COLS + " FROM pending_questions WHERE question_id = ?", QuestionAnswers::map,
                    key);
        }
        return db.query("SELECT " + COLS + " FROM pending_questions", QuestionAnswers::map).stream()
                .filter(q -> ChoiceCard.matchesKey(key, q.questionId())).findFirst();
    }

    /** The newest open question in a chat (for an answer typed as a number). */
    public Optional<PendingQuestion> newestIn(String channelType, String platformId, String threadId) {
        return db.one("SELECT " + COLS + " FROM pending_questions WHERE channel_type = ? AND platform_id = ? "
                        + "AND thread_id IS ? ORDER BY created_at DESC LIMIT 1", QuestionAnswers::map, channelType,
                platformId, threadId);
    }

    /**
     * @param platformMessageId the card's message when the adapter reported it (else looked up)
     * @return true when this answered a question
     */
    public boolean answer(String key, int index, String userId, String channelType, String platformId,
                          String platformMessageId) {
        Optional<PendingQuestion> found = byKey(key);
        if (found.isEmpty()) {
            LOG.warnf("answer to unknown question %s from %s in %s:%s: ignored", key, userId, channelType,
                    platformId);
            return false;
        }
        PendingQuestion q = found.get();
        if (!channelType.equals(q.channelType()) || !platformId.equals(q.platformId())) {
            LOG.warnf("answer to question %s from another chat (%s:%s): ignored", q.questionId(), channelType,
                    platformId);
            return false;
        }
        if (index < 0 || index >= q.options().size()) {
            LOG.warnf("answer to question %s with option %d of %d: ignored", q.questionId(), index,
                    q.options().size());
            return false;
        }
        boolean fromEarlierRun = askedBeforeThisHostStarted(q); // decided before the claim: nothing slow after it
        // Deleting is the claim: of two quick clicks only one answers.
        if (db.update("DELETE FROM pending_questions WHERE question_id = ?", q.questionId()) != 1) {
            return false;
        }
        PendingQuestion.Option chosen = q.options().get(index);
        Optional<Session> s = sessions.byId(q.sessionId());
        if (s.isEmpty()) {
            LOG.warnf("question %s: its session is gone; answer dropped", q.questionId());
            return true;
        }
        if (fromEarlierRun) {
            // The container that asked was stopped with the old host: no tool waits for a question_response any
            // more. The answer still reaches the agent, as a note, so the user's click is not lost.
            notes.tellAndWake(s.get(), "The user answered your earlier question" + (q.title() == null
                    || q.title().isBlank() ? "" : " \"" + q.title() + "\"") + ": " + chosen.selectedLabel()
                    + " (value: " + chosen.value() + "). You were restarted while waiting for it.");
        } else {
            writeResponse(s.get(), q, chosen, userId);
        }
        String pmid = platformMessageId != null ? platformMessageId
                : outbound.platformMessageId(s.get(), q.messageOutId()).orElse(null);
        if (pmid != null && cards.canEdit(channelType)) {
            cards.close(channelType, platformId, q.threadId(), pmid, (q.title() == null ? "" : q.title()) + "\n\n"
                    + chosen.selectedLabel());
        }
        return true;
    }

    private void writeResponse(Session s, PendingQuestion q, PendingQuestion.Option chosen, String userId) {
        String content = MAPPER.createObjectNode().put("type", "question_response")
                .put("questionId", q.questionId()).put("selectedOption", chosen.value()).put("userId", userId)
                .toString();
        inbound.write(s.agentGroupId(), s.id(), new InboundRow(MessageIds.next("qr"), "system", null,
                null, null, content, true, false, null, null));
        waker.wakeOrQueue(s);
    }

    /**
     * The asking tool gave up waiting (agent-runner's {@code question_timeout}): the card is closed so a late click
     * can't send an answer nothing reads. Only the session that asked may close its question.
     */
    public void expire(Session s, String questionId) {
        Optional<PendingQuestion> found = questionId == null ? Optional.empty() : byKey(questionId)
                .filter(q -> q.questionId().equals(questionId) && q.sessionId().equals(s.id()));
        if (found.isEmpty() || db.update("DELETE FROM pending_questions WHERE question_id = ?", questionId) != 1) {
            return;
        }
        PendingQuestion q = found.get();
        String title = q.title() == null ? "" : q.title() + "\n\n";
        String pmid = outbound.platformMessageId(s, q.messageOutId()).orElse(null);
        if (pmid != null && cards.canEdit(q.channelType())) {
            cards.close(q.channelType(), q.platformId(), q.threadId(), pmid, title + "⌛ No answer in time");
        } else {
            cards.close(q.channelType(), q.platformId(), q.threadId(), null, "⌛ The question \""
                    + (q.title() == null ? "" : q.title()) + "\" timed out; answering it now does nothing.");
        }
    }

    /** Host restarts stop every container, so a question from an earlier run has no tool waiting for it. */
    private boolean askedBeforeThisHostStarted(PendingQuestion q) {
        java.time.Instant asked = io.nanoclaw.protocol.Timestamps.parseUtc(q.createdAt());
        return asked != null && asked.isBefore(hostStart.started());
    }
}
