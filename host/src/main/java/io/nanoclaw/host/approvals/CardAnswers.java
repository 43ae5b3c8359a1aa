package io.nanoclaw.host.approvals;

import io.nanoclaw.host.channels.ActionEvent;
import io.nanoclaw.host.channels.ChoiceCard;
import io.nanoclaw.host.channels.ChoiceCards;
import io.nanoclaw.host.entities.Users;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where answers to cards arrive: button clicks from adapters with buttons, and, in chats whose adapter has none,
 * a reply that is just an option's number or label. Approvals (the agent's requests, then new senders and new
 * chats) are tried first (their cards live in admins' DMs),
 * then the agent's questions. A typed reply that answers nothing goes on to the agent as usual.
 */
@Singleton
public class CardAnswers {
    private static final Logger LOG = Logger.getLogger(CardAnswers.class);
    /** Longer replies are conversation, not an answer: skip the lookups. */
    static final int MAX_ANSWER_CHARS = 100;

    @Inject
    Approvals approvals;
    @Inject
    PendingApprovals pendingApprovals;
    @Inject
    AccessApprovals access;
    @Inject
    QuestionAnswers questions;
    @Inject
    ChoiceCards cards;
    @Inject
    Users users;
    @Inject
    io.nanoclaw.host.db.Db db;

    public void onClick(String channelType, String platformId, String threadId, ActionEvent e) {
        Optional<ChoiceCard.Click> click = ChoiceCard.parse(e.actionId());
        String userId = Users.userId(channelType, e.userHandle());
        if (click.isEmpty() || userId == null) {
            LOG.warnf("click '%s' in %s:%s without a card id or a user: ignored", e.actionId(), channelType,
                    platformId);
            return;
        }
        users.upsert(userId, channelType, e.userName());
        String key = click.get().key();
        Optional<AccessApprovals.Pending> accessCard = access.byKey(key);
        if (accessCard.isPresent()) {
            access.answer(accessCard.get(), click.get().index(), userId, channelType, platformId, threadId,
                    e.platformMessageId());
            return;
        }
        if (key.startsWith(AccessApprovals.SENDER_PREFIX) || key.startsWith(AccessApprovals.CHANNEL_PREFIX)
                || key.startsWith(AccessApprovals.PICK_PREFIX)) {
            LOG.infof("click on access approval %s that is no longer pending: ignored", key);
            return;
        }
        boolean isApproval = key.startsWith("appr-") || (key.startsWith("~") && pendingApprovals.byKey(key)
                .isPresent());
        if (isApproval) {
            approvals.answer(key, click.get().index(), userId, channelType, platformId, threadId);
        } else {
            questions.answer(key, click.get().index(), userId, channelType, platformId, e.platformMessageId());
        }
    }

    private boolean anyCardOpenAnywhere() {
        return db.one("SELECT EXISTS(SELECT 1 FROM pending_approvals WHERE status = 'pending') "
                + "OR EXISTS(SELECT 1 FROM pending_questions) OR EXISTS(SELECT 1 FROM pending_sender_approvals) "
                + "OR EXISTS(SELECT 1 FROM pending_channel_approvals)", rs -> rs.getInt(1) == 1).orElse(true);
    }

    /** @return true when the reply answered a card and must not reach the agent */
    public boolean claimTyped(String channelType, String platformId, String threadId, String userId, String text) {
        if (text == null || text.isBlank() || text.length() > MAX_ANSWER_CHARS || userId == null
                || !cards.answersByText(channelType) || cards.knownNoneOpen()) {
            return false;
        }
        long mark = cards.mark();
        boolean anyOpen = false;
        for (PendingApproval p : pendingApprovals.pendingIn(channelType, platformId)) {
            anyOpen = true;
            if (!p.approverUserId().equals(userId) && !users.isAdmin(userId, p.agentGroupId())) {
                continue; // not theirs to answer: the reply is just a message
            }
            int index = ChoiceCard.answerIndex(text, Approvals.LABELS);
            if (index < 0) {
                return false;
            }
            return approvals.answer(p.id(), index, userId, channelType, platformId, threadId);
        }
        for (AccessApprovals.Pending p : access.pendingIn(channelType, platformId)) {
            anyOpen = true;
            if (!access.mayAnswer(p, userId)) {
                continue;
            }
            int index = ChoiceCard.answerIndex(text, p.labels());
            if (index < 0) {
                return false;
            }
            access.answer(p, index, userId, channelType, platformId, threadId, null);
            return true;
        }
        Optional<PendingQuestion> q = questions.newestIn(channelType, platformId, threadId);
        if (q.isEmpty()) {
            if (!anyOpen && !anyCardOpenAnywhere()) {
                cards.noneOpen(mark);
            }
            return false;
        }
        int index = ChoiceCard.answerIndex(text, q.get().labels());
        return index >= 0 && questions.answer(q.get().questionId(), index, userId, channelType, platformId, null);
    }
}
