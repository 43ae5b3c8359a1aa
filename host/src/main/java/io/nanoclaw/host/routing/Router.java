package io.nanoclaw.host.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.approvals.CardAnswers;
import io.nanoclaw.host.channels.ActionEvent;
import io.nanoclaw.host.channels.ChannelNotices;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.host.delivery.ActiveSessions;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.entities.Users;
import io.nanoclaw.host.entities.Wiring;
import io.nanoclaw.host.entities.Wirings;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.sessions.Sessions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Inbound routing (host.md 1.1): chat → wirings in priority order → engage and access gates → session → a row in
 * inbound.db → wake the container. Messages refused by a gate are never stored; a message that reaches no agent is
 * recorded in the drop audit.
 */
@Singleton
public class Router implements InboundSink {
    private static final Logger LOG = Logger.getLogger(Router.class);

    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Wirings wirings;
    @Inject
    Users users;
    @Inject
    SessionResolver resolver;
    @Inject
    Sessions sessions;
    @Inject
    InboundWriter inbound;
    @Inject
    SessionWaker containers;
    @Inject
    ChannelRegistry channels;
    @Inject
    DropAudit drops;
    @Inject
    ActiveSessions active;
    @Inject
    CommandGate commandGate;
    @Inject
    ChannelNotices notices;
    @Inject
    io.nanoclaw.host.attachments.InboxWriter inbox;
    @Inject
    io.nanoclaw.host.sessions.SessionFolders folders;
    @Inject
    io.nanoclaw.host.typing.TypingIndicators typing;
    @Inject
    CardAnswers cardAnswers;
    @Inject
    io.nanoclaw.host.approvals.AccessApprovals accessApprovals;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public void onInbound(String channelType, String platformId, String threadId, InboundMessage msg) {
        boolean threaded = channels.get(channelType).map(a -> a.supportsThreads()).orElse(false);
        String thread = threaded ? threadId : null;
        Optional<MessagingGroup> found = messagingGroups.find(channelType, platformId);
        String userId = Users.userId(channelType, msg.senderHandle());
        if (userId != null) {
            users.upsert(userId, channelType, msg.senderName());
        }
        // After "New agent" on a new-chat card, the approver's next message in that DM is the agent's name.
        if (accessApprovals.claimNameReply(channelType, platformId, userId, textOf(msg.content()))) {
            return;
        }
        // On a channel without buttons, "2" in reply to a card is the click, not a message for the agent.
        if (cardAnswers.claimTyped(channelType, platformId, thread, userId, textOf(msg.content()))) {
            return;
        }
        if (found.isEmpty()) {
            if (!msg.isMention() && msg.isGroup()) {
                LOG.debugf("message from unknown chat %s:%s without a mention: ignored", channelType, platformId);
                return; // an unknown chat that didn't address us: nothing is written
            }
            // A mention or DM in an unknown chat creates it (unwired) and asks an approver to connect it.
            MessagingGroup created = messagingGroups.createIfAbsent(channelType, platformId, msg.isGroup());
            drops.record(channelType, platformId, userId, msg.senderName(), "no_agent_wired", created.id(), null);
            accessApprovals.requestChannel(created, thread, msg);
            return;
        }
        MessagingGroup mg = found.get();
        List<Wiring> ws = wirings.forMessagingGroup(mg.id());
        if (ws.isEmpty()) {
            if ((msg.isMention() || !mg.isGroup()) && mg.deniedAt() == null) {
                drops.record(channelType, platformId, userId, msg.senderName(), "no_agent_wired", mg.id(), null);
                accessApprovals.requestChannel(mg, thread, msg);
            }
            return;
        }
        String text = textOf(msg.content());
        boolean reached = false;
        boolean asked = false;
        String lastReason = "no_agent_engaged";
        for (Wiring w : ws) {
            boolean sticky = "mention-sticky".equals(w.engageMode()) && mg.isGroup()
                    && sessions.findActive(w.agentGroupId(), mg.id(), thread).isPresent();
            boolean engages = EngageRule.engages(w, text, msg.isMention(), sticky);
            if (engages) {
                // A public chat admits anyone, unless the wiring's sender scope asks for known senders only.
                boolean needsAccess = !"public".equals(mg.unknownSenderPolicy()) || "known".equals(w.senderScope());
                boolean allowed = !needsAccess || users.canAccess(userId, w.agentGroupId());
                if (!allowed) {
                    boolean ask = "request_approval".equals(mg.unknownSenderPolicy());
                    lastReason = ask ? "unknown_sender_request_approval" : "unknown_sender_strict";
                    if (ask && !asked && userId != null) {
                        asked = true; // one card per (chat, sender): for the first agent that refused
                        accessApprovals.requestSender(mg, w.agentGroupId(), thread, msg, userId);
                    }
                    continue;
                }
                deliverToAgent(mg, w, threaded, thread, msg, text, userId, true);
                reached = true;
            } else if ("accumulate".equals(w.ignoredMessagePolicy())) {
                deliverToAgent(mg, w, threaded, thread, msg, text, userId, false);
                reached = true;
            }
        }
        if (!reached) {
            drops.record(channelType, platformId, userId, msg.senderName(), lastReason, mg.id(), null);
        }
    }

    @Override
    public void onAction(String channelType, String platformId, String threadId, ActionEvent action) {
        boolean threaded = channels.get(channelType).map(a -> a.supportsThreads()).orElse(false);
        cardAnswers.onClick(channelType, platformId, threaded ? threadId : null, action);
    }

    private void deliverToAgent(MessagingGroup mg, Wiring w, boolean threaded, String thread, InboundMessage msg,
                                String text, String userId, boolean wake) {
        String mode = w.sessionMode();
        if (threaded && mg.isGroup() && !"agent-shared".equals(mode)) {
            mode = "per-thread";
        }
        Session s = resolver.resolve(w.agentGroupId(), mg.id(), thread, mode);
        if (!commandGate.admits(text, userId, w.agentGroupId(), mg, thread)) {
            return;
        }
        String rowId = msg.id() + ":" + w.agentGroupId();
        if (inbound.exists(s.agentGroupId(), s.id(), rowId)) {
            return; // the platform delivered the same message twice: it is already with the agent
        }
        String content = inbox.extract(folders.sessionDir(s.agentGroupId(), s.id()), rowId, msg.content());
        inbound.write(s.agentGroupId(), s.id(), InboundRow.chat(rowId, msg.kind(), mg.platformId(),
                mg.channelType(), thread, content, wake));
        if (wake) {
            SessionWaker.Wake woke = containers.wakeOrQueue(s);
            if (woke.running()) {
                active.markInFlight(s);
                typing.start(s, mg.channelType(), mg.platformId(), thread);
            } else if (woke.queued()) {
                // Not a failure: the container starts when a slot frees (QueuedStartFollowUp). Said once per
                // queued session, not once per message.
                if (woke.newlyQueued()) {
                    notices.send(mg.channelType(), mg.platformId(), thread, queuedNotice(woke.ahead()));
                }
            } else {
                String why = woke.failure();
                LOG.warnf("session %s: container did not start (%s); the sweep will retry", s.id(), why);
                notices.send(mg.channelType(), mg.platformId(), thread, "I couldn't start the agent just now ("
                        + why + "). Your message is kept and I'll retry within a minute.");
            }
        }
    }

    static String queuedNotice(int ahead) {
        return "All agent slots are busy right now (MAX_CONCURRENT_CONTAINERS). Your message is queued"
                + (ahead > 0 ? " behind " + ahead + (ahead == 1 ? " other conversation" : " other conversations")
                : "") + " and will be answered as soon as a slot frees up.";
    }

    String textOf(String content) {
        try {
            JsonNode n = mapper.readTree(content);
            JsonNode t = n == null ? null : n.get("text");
            return t == null || t.isNull() ? "" : t.asText();
        } catch (IOException e) {
            return content == null ? "" : content;
        }
    }
}
