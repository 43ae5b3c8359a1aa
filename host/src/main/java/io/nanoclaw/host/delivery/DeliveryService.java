package io.nanoclaw.host.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.attachments.OutboxFiles;
import io.nanoclaw.host.attachments.OutboxRefusedException;
import io.nanoclaw.host.channels.ChannelNotices;
import io.nanoclaw.host.channels.ChannelRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.entities.Destinations;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.protocol.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Drains a session's outbound.db (host.md 1.3): syncs the container's acks, delivers new rows through their
 * channel after the ACL check, and records each outcome in inbound.db's delivered table, so nothing is delivered
 * twice, even across restarts. A drain already running for a session makes a second one return at once.
 */
@Singleton
public class DeliveryService {
    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    @Inject
    OutboundReader reader;
    @Inject
    InboundWriter inbound;
    @Inject
    ChannelRegistry channels;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Destinations destinations;
    @Inject
    DeliveryAttempts attempts;
    @Inject
    AgentNotes notes;
    @Inject
    ChannelNotices notices;
    @Inject
    PendingQuestions questions;
    @Inject
    OutboxFiles outbox;
    @Inject
    io.nanoclaw.host.sessions.SessionFolders folders;
    @Inject
    io.nanoclaw.host.typing.TypingIndicators typing;
    @Inject
    jakarta.enterprise.inject.Instance<SystemActionHandler> systemActions;
    @Inject
    io.nanoclaw.host.agents.A2aDelivery agentToAgent;
    @Inject
    io.nanoclaw.host.channels.ChannelSender sender;
    @Inject
    io.nanoclaw.host.channels.ChoiceCards choiceCards;

    private final ObjectMapper mapper = new ObjectMapper();

    private static final class State {
        final ReentrantLock lock = new ReentrantLock();
        long lastVersion = Long.MIN_VALUE;
        long watermark;
        boolean retryPending;
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** @return true when this drain saw new outbound data (a change since the last drain). */
    public boolean drain(Session s) {
        State st = states.computeIfAbsent(s.id(), k -> new State());
        if (!st.lock.tryLock()) {
            return false;
        }
        try {
            long v = reader.version(s);
            if (v == -1 || (v == st.lastVersion && !st.retryPending)) {
                return false;
            }
            st.lastVersion = v;
            syncAcks(s);
            List<OutboundRow> rows = reader.rowsAfter(s, st.watermark);
            Set<String> settled = reader.settled(s, rows);
            boolean allSettledSoFar = true;
            boolean retry = false;
            Instant now = Instant.now();
            for (OutboundRow row : rows) {
                boolean done = settled.contains(row.id());
                if (!done) {
                    Instant after = Timestamps.parseUtc(row.deliverAfter());
                    if (after != null && after.isAfter(now)) {
                        retry = true;
                    } else {
                        done = deliver(s, row);
                        retry |= !done;
                    }
                }
                if (done && allSettledSoFar) {
                    st.watermark = row.seq();
                } else {
                    allSettledSoFar = false;
                }
            }
            st.retryPending = retry;
            return true;
        } finally {
            st.lock.unlock();
        }
    }

    private void syncAcks(Session s) {
        List<String[]> acks = reader.finalAcks(s);
        if (!acks.isEmpty()) {
            inbound.syncAcks(s.agentGroupId(), s.id(), acks);
        }
    }

    /** @return true when the row is settled (delivered, or failed for good). */
    boolean deliver(Session s, OutboundRow row) {
        if (!attempts.due(s.id(), row.id())) {
            return false;
        }
        try {
            String platformMessageId = dispatch(s, row);
            inbound.markDelivered(s.agentGroupId(), s.id(), row.id(), platformMessageId, "delivered");
            attempts.clear(s.id(), row.id());
            if (!"system".equals(row.kind())) {
                typing.pauseAfterDelivery(s.id());
            }
            return true;
        } catch (io.nanoclaw.host.agents.A2aLimitReached e) {
            // Not an error of the row: the agents were talking too much. Their own words, and the user once.
            LOG.warnf("session %s: %s held back: %s", s.id(), row.id(), e.getMessage());
            inbound.markDelivered(s.agentGroupId(), s.id(), row.id(), null, "failed");
            attempts.clear(s.id(), row.id());
            outbox.cleanup(folders.sessionDir(s.agentGroupId(), s.id()), row.id());
            notes.tell(s, e.getMessage());
            tellUser(s, e.userNotice());
            return true;
        } catch (UndeliverableException e) {
            // Retrying can't help (no such chat, not allowed, bad content): fail now and say why.
            LOG.errorf("session %s: %s can't be delivered: %s", s.id(), row.id(), e.getMessage());
            failForGood(s, row, e.getMessage(), true);
            return true;
        } catch (io.nanoclaw.host.channels.RateLimitedException e) {
            LOG.infof("session %s: %s waits %d ms: %s", s.id(), row.id(), e.retryAfter().toMillis(), e.getMessage());
            attempts.postpone(s.id(), row.id(), e.retryAfter(), e.getMessage());
            return false;
        } catch (Exception e) {
            // An outage is waited out for longer than a refusal: the user's uplink may be down for minutes.
            int max = e instanceof io.nanoclaw.host.channels.PlatformUnavailableException
                    ? DeliveryAttempts.MAX_OUTAGE_ATTEMPTS : DeliveryAttempts.MAX_ATTEMPTS;
            int n = attempts.failed(s.id(), row.id(), e.getMessage());
            if (n < max) {
                LOG.warnf("session %s: delivery of %s failed (attempt %d of %d): %s", s.id(), row.id(), n, max,
                        e.getMessage());
                return false;
            }
            LOG.errorf("session %s: delivery of %s failed for good: %s", s.id(), row.id(), e.getMessage());
            // The channel itself failed: a notice through it would fail too.
            failForGood(s, row, "failed after " + max + " attempts: " + e.getMessage(), false);
            return true;
        }
    }

    /** Marks the row failed, tells the agent, and where the channel still works, tells the user too. */
    private void failForGood(Session s, OutboundRow row, String reason, boolean tellUser) {
        inbound.markDelivered(s.agentGroupId(), s.id(), row.id(), null, "failed");
        attempts.clear(s.id(), row.id());
        outbox.cleanup(folders.sessionDir(s.agentGroupId(), s.id()), row.id());
        notes.tell(s, "Your message " + row.id() + " (seq " + row.seq() + ") was not delivered: " + reason);
        if (tellUser) {
            tellUser(s, "A message from the agent could not be delivered (" + reason + ").");
        }
    }

    /** A notice to the session's chat, if it has one (agent-only sessions have nobody to tell). */
    private void tellUser(Session s, String text) {
        if (text != null && s.messagingGroupId() != null) {
            messagingGroups.byId(s.messagingGroupId()).ifPresent(mg -> notices.send(mg.channelType(),
                    mg.platformId(), s.threadId(), text));
        }
    }

    private String dispatch(Session s, OutboundRow row) throws Exception {
        JsonNode content = parse(row);
        if ("system".equals(row.kind())) {
            String action = content.path("action").asText("");
            for (SystemActionHandler h : systemActions) {
                if (h.action().equals(action)) {
                    h.handle(s, content);
                    return null;
                }
            }
            LOG.warnf("session %s: unknown system action '%s' in %s; recorded as delivered", s.id(), action,
                    row.id());
            notes.tell(s, "Unknown system action '" + action + "' in message " + row.id() + ": ignored.");
            return null;
        }
        if ("agent".equals(row.channelType())) {
            return agentToAgent.deliver(s, row, (ObjectNode) content);
        }
        if (row.channelType() == null || row.platformId() == null) {
            LOG.warnf("session %s: row %s has no address; recorded as delivered", s.id(), row.id());
            return null;
        }
        MessagingGroup mg = messagingGroups.find(row.channelType(), row.platformId())
                .orElseThrow(() -> new UndeliverableException("unknown destination " + row.channelType() + ":"
                        + row.platformId()));
        boolean allowed = mg.id().equals(s.messagingGroupId()) || destinations.allowsChannel(s.agentGroupId(), mg.id());
        if (!allowed) {
            throw new UndeliverableException("this agent may not send to " + row.channelType() + ":"
                    + row.platformId());
        }
        ChannelAdapter adapter = channels.get(row.channelType())
                .orElseThrow(() -> new IllegalStateException("channel " + row.channelType() + " is not running"));
        if (content.isObject() && content.has("operation")) {
            resolveTarget(s, (ObjectNode) content);
        }
        if ("ask_question".equals(content.path("type").asText())) {
            questions.remember(s, row, content);
            // buttons where the platform has them, numbered text otherwise (answered through the router)
            content = choiceCards.render(adapter, PendingQuestions.card(content));
        }
        List<String> names;
        try {
            names = OutboxFiles.fileNames(content);
        } catch (OutboxRefusedException e) {
            throw new UndeliverableException(e.getMessage());
        }
        if (names.isEmpty()) {
            return sender.send(adapter, row.platformId(), row.threadId(),
                    new OutboundMessage(row.id(), row.kind(), content, List.of()));
        }
        java.nio.file.Path sessionDir = folders.sessionDir(s.agentGroupId(), s.id());
        String platformMessageId;
        // The adapter gets checked copies: the agent owns its outbox and could swap a file after the check.
        try (OutboxFiles.Staged staged = outbox.stage(sessionDir, row.id(), names)) {
            platformMessageId = sender.send(adapter, row.platformId(), row.threadId(),
                    new OutboundMessage(row.id(), row.kind(), content, staged.files()));
        } catch (OutboxRefusedException e) {
            throw new UndeliverableException(e.getMessage());
        }
        outbox.cleanup(sessionDir, row.id());
        return platformMessageId;
    }

    /**
     * Edits and reactions name their target by the id the agent saw: an inbound row's id (the platform's id plus
     * ":<agent group>") or an outbound row's id. The adapter needs the platform's own message id.
     */
    private void resolveTarget(Session s, ObjectNode content) throws UndeliverableException {
        String op = content.path("operation").asText();
        if (!op.equals("edit") && !op.equals("reaction")) {
            throw new UndeliverableException("unknown operation '" + op + "'");
        }
        String target = content.path("messageId").asText("");
        if (target.isEmpty()) {
            throw new UndeliverableException(op + " without a messageId");
        }
        String suffix = ":" + s.agentGroupId();
        String platformId;
        if (target.endsWith(suffix)) {
            platformId = target.substring(0, target.length() - suffix.length());
        } else {
            platformId = reader.platformMessageId(s, target).orElse(target);
        }
        content.put("messageId", platformId);
    }

    private JsonNode parse(OutboundRow row) throws UndeliverableException {
        try {
            JsonNode n = mapper.readTree(row.content() == null ? "{}" : row.content());
            if (n == null || !n.isObject()) {
                throw new UndeliverableException("content is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new UndeliverableException("content is not valid JSON");
        }
    }

    /** Forgets a session's drain state (session closed). */
    public void forget(String sessionId) {
        states.remove(sessionId);
    }
}
