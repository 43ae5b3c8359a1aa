package io.nanoclaw.host.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.agents.AgentCreator;
import io.nanoclaw.host.agents.CreateAgentRefused;
import io.nanoclaw.host.channels.ChannelNotices;
import io.nanoclaw.host.channels.ChoiceCard;
import io.nanoclaw.host.channels.ChoiceCards;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Now;
import io.nanoclaw.host.entities.Users;
import io.nanoclaw.host.entities.Wirings;
import io.nanoclaw.host.routing.Router;
import io.nanoclaw.host.sessions.DestinationProjection;
import io.nanoclaw.protocol.MessageIds;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Who may reach an agent: sender approval (host.md 4.6) and channel approval (4.7). The router asks; an approver
 * (4.11) answers a card in their DM; only the designated approver or an admin of the agent group (owners and global
 * admins included) is heard (decisions.md). On approval the stored message is replayed through the router, so it
 * reaches the agent as if it had been allowed the first time. A new chat can also get a new agent (4.8): the
 * approver's next message in their DM names it.
 */
@Singleton
public class AccessApprovals {
    private static final Logger LOG = Logger.getLogger(AccessApprovals.class);
    static final String SENDER_PREFIX = "sndr-";
    static final String CHANNEL_PREFIX = "chan-";
    /** The follow-up card after "Choose existing agent": same row, its options replaced by the agents + Cancel. */
    static final String PICK_PREFIX = "pick-";
    static final List<String> SENDER_LABELS = List.of("Approve", "Reject");

    /** A pending card: its key, the agent group it concerns, who was asked, and the option values in order. */
    public record Pending(String key, String agentGroupId, String approverUserId, String title, List<String> labels,
                          List<String> values, boolean channel) {}

    @Inject
    Db db;
    @Inject
    Approvers approvers;
    @Inject
    ChoiceCards cards;
    @Inject
    ChannelNotices notices;
    @Inject
    Users users;
    @Inject
    AgentGroups agentGroups;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Wirings wirings;
    @Inject
    DestinationProjection projection;
    @Inject
    AgentCreator creator;
    @Inject
    io.nanoclaw.host.channels.ChannelRegistry channels;
    @Inject
    Instance<Router> router; // looked up late: the router also needs us

    private final ObjectMapper mapper = new ObjectMapper();
    // (channel, DM, approver) → the chat waiting for a new agent's name. Also kept in the card's row
    // (awaiting_name_key), and read back on first use after a start, so a host restart doesn't lose the wait;
    // in memory so that every other message costs no query.
    private final Map<String, String> awaitingName = new ConcurrentHashMap<>();
    private volatile boolean awaitingLoaded;

    // ---- asking ----

    /** A message dropped by the access gate of a request_approval chat (host.md 4.6). */
    public void requestSender(MessagingGroup mg, String agentGroupId, String threadId, InboundMessage msg,
                              String userId) {
        if (userId == null) {
            return;
        }
        boolean exists = db.one("SELECT 1 FROM pending_sender_approvals WHERE messaging_group_id = ? "
                + "AND sender_identity = ?", rs -> 1, mg.id(), userId).isPresent();
        if (exists) {
            return; // one card per (chat, sender) until it is answered
        }
        Optional<Approvers.Target> target = approvers.pick(agentGroupId, mg.channelType());
        if (target.isEmpty()) {
            LOG.warnf("sender %s in %s: approval needed but no owner or admin has a reachable DM", userId, mg.id());
            return;
        }
        String id = MessageIds.next("sndr");
        String title = "👤 New sender";
        String name = msg.senderName() != null && !msg.senderName().isBlank() ? msg.senderName() : userId;
        String question = name + " wants to talk to your agent in " + chatName(mg) + ". Allow?";
        int n = db.update("INSERT INTO pending_sender_approvals(id, messaging_group_id, agent_group_id, "
                        + "sender_identity, sender_name, original_message, approver_user_id, created_at, title, "
                        + "options_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                id, mg.id(), agentGroupId, userId, msg.senderName(), storeEvent(mg, threadId, msg),
                target.get().userId(), Now.iso(), title, optionsJson(SENDER_LABELS, List.of("approve", "reject")));
        if (n == 0) {
            return; // a concurrent message from the same sender asked first
        }
        send(target.get(), new ChoiceCard(id, title, question, SENDER_LABELS), () -> db.update(
                "DELETE FROM pending_sender_approvals WHERE id = ?", id));
    }

    /** A mention or DM in a chat that is wired to no agent and was never rejected (host.md 4.7). */
    public void requestChannel(MessagingGroup mg, String threadId, InboundMessage msg) {
        if (mg.deniedAt() != null) {
            return;
        }
        if (db.one("SELECT 1 FROM pending_channel_approvals WHERE messaging_group_id = ?", rs -> 1, mg.id())
                .isPresent()) {
            return;
        }
        List<AgentGroup> groups = agentGroups.list();
        if (groups.isEmpty()) {
            return;
        }
        Optional<Approvers.Target> target = approvers.pick(groups.get(0).id(), mg.channelType());
        if (target.isEmpty()) {
            LOG.warnf("chat %s: channel approval needed but no owner or admin has a reachable DM", mg.id());
            return;
        }
        MessagingGroup named = withPlatformName(mg);
        String title = mg.isGroup() ? "📣 Bot mentioned in new channel" : "💬 New direct message";
        String who = msg.senderName() != null && !msg.senderName().isBlank() ? msg.senderName()
                : Optional.ofNullable(msg.senderHandle()).orElse("someone");
        String question = mg.isGroup() ? who + " mentioned the bot in " + chatName(named) + ". Connect it to an agent?"
                : who + " sent the bot a direct message. Connect it to an agent?";
        List<String> labels = new ArrayList<>();
        List<String> values = new ArrayList<>();
        firstCardOptions(groups, labels, values);
        String key = CHANNEL_PREFIX + mg.id();
        int n = db.update("INSERT INTO pending_channel_approvals(messaging_group_id, agent_group_id, "
                        + "original_message, approver_user_id, created_at, title, options_json) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", mg.id(), groups.get(0).id(),
                storeEvent(mg, threadId, msg), target.get().userId(), Now.iso(), title,
                optionsJson(labels, values));
        if (n == 0) {
            return;
        }
        send(target.get(), new ChoiceCard(key, title, question, labels), () -> db.update(
                "DELETE FROM pending_channel_approvals WHERE messaging_group_id = ?", mg.id()));
    }

    /** A chat with no name yet gets the platform's ("#general"), when the adapter can tell (host.md 4.7). */
    private MessagingGroup withPlatformName(MessagingGroup mg) {
        if (mg.name() != null && !mg.name().isBlank()) {
            return mg;
        }
        Optional<String> name;
        try {
            name = channels.get(mg.channelType()).flatMap(a -> a.resolveChannelName(mg.platformId()))
                    .filter(n -> !n.isBlank());
        } catch (RuntimeException e) {
            LOG.debugf("chat %s: no name from the platform: %s", mg.id(), e.getMessage());
            return mg;
        }
        if (name.isEmpty()) {
            return mg;
        }
        db.update("UPDATE messaging_groups SET name = ? WHERE id = ? AND (name IS NULL OR name = '')", name.get(),
                mg.id());
        return messagingGroups.byId(mg.id()).orElse(mg);
    }

    /** One agent: "Connect to <name>"; several: "Choose existing agent" opens a second card (host.md 4.7). */
    private static void firstCardOptions(List<AgentGroup> groups, List<String> labels, List<String> values) {
        if (groups.size() == 1) {
            labels.add("Connect to " + groups.get(0).name());
            values.add("connect:" + groups.get(0).id());
        } else {
            labels.add("Choose existing agent");
            values.add("choose_existing");
        }
        labels.add("New agent");
        values.add("new_agent");
        labels.add("Reject");
        values.add("reject");
    }

    private void send(Approvers.Target target, ChoiceCard card, Runnable undo) {
        MessagingGroup dm = target.dm();
        try {
            cards.send(dm.channelType(), dm.platformId(), null, card);
            LOG.infof("access approval %s sent to %s", card.key(), target.userId());
        } catch (Exception e) {
            undo.run(); // the next message may ask again
            LOG.warnf("access approval card %s could not be sent to %s: %s", card.key(), target.userId(),
                    e.getMessage());
        }
    }

    // ---- answering ----

    /** Whether a clicked key (possibly hashed) names one of these cards. */
    public Optional<Pending> byKey(String key) {
        if (key.startsWith(SENDER_PREFIX)) {
            return sender(key);
        }
        if (key.startsWith(CHANNEL_PREFIX) || key.startsWith(PICK_PREFIX)) {
            // a click on the first card while the second is open (or the reverse) is stale: ignored
            return channel(key.substring(CHANNEL_PREFIX.length())).filter(p -> p.key().equals(key));
        }
        if (key.startsWith("~")) {
            for (String id : db.query("SELECT id FROM pending_sender_approvals", rs -> rs.getString(1))) {
                if (ChoiceCard.matchesKey(key, id)) {
                    return sender(id);
                }
            }
            for (String id : db.query("SELECT messaging_group_id FROM pending_channel_approvals",
                    rs -> rs.getString(1))) {
                Optional<Pending> p = channel(id);
                if (p.isPresent() && ChoiceCard.matchesKey(key, p.get().key())) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    /** Cards waiting in this chat (the approver's DM), newest first, for answers typed as a number. */
    public List<Pending> pendingIn(String channelType, String platformId) {
        String dmOf = " JOIN user_dms d ON d.user_id = p.approver_user_id JOIN messaging_groups m "
                + "ON m.id = d.messaging_group_id WHERE m.channel_type = ? AND m.platform_id = ? "
                + "ORDER BY p.created_at DESC";
        List<Pending> out = new ArrayList<>();
        for (String id : db.query("SELECT p.id FROM pending_sender_approvals p" + dmOf, rs -> rs.getString(1),
                channelType, platformId)) {
            sender(id).ifPresent(out::add);
        }
        for (String id : db.query("SELECT p.messaging_group_id FROM pending_channel_approvals p" + dmOf,
                rs -> rs.getString(1), channelType, platformId)) {
            channel(id).ifPresent(out::add);
        }
        return out;
    }

    /** Whether this user may answer the card: the designated approver, or an admin of its agent group. */
    public boolean mayAnswer(Pending p, String userId) {
        return userId != null && (userId.equals(p.approverUserId()) || users.isAdmin(userId, p.agentGroupId()));
    }

    /**
     * A click or typed answer. Anyone but the approver or an admin is ignored; the row is deleted first, so a
     * second click finds nothing to do.
     */
    public void answer(Pending p, int index, String userId, String channelType, String platformId, String threadId,
                       String platformMessageId) {
        if (!mayAnswer(p, userId)) {
            LOG.warnf("access approval %s: answer by %s ignored (not the approver %s nor an admin of %s)", p.key(),
                    userId, p.approverUserId(), p.agentGroupId());
            return;
        }
        if (index < 0 || index >= p.values().size()) {
            LOG.warnf("access approval %s: option %d does not exist; ignored", p.key(), index);
            return;
        }
        String value = p.values().get(index);
        if (p.channel()) {
            answerChannel(p, value, userId, channelType, platformId, threadId, platformMessageId);
        } else {
            answerSender(p, value, channelType, platformId, threadId, platformMessageId);
        }
    }

    private void answerSender(Pending p, String value, String channelType, String platformId, String threadId,
                              String platformMessageId) {
        Optional<String[]> row = db.one("SELECT sender_identity, original_message, sender_name FROM "
                + "pending_sender_approvals WHERE id = ?", rs -> new String[] {rs.getString(1), rs.getString(2),
                rs.getString(3)}, p.key());
        if (row.isEmpty() || db.update("DELETE FROM pending_sender_approvals WHERE id = ?", p.key()) != 1) {
            return; // answered meanwhile
        }
        String sender = row.get()[0];
        String name = row.get()[2] != null ? row.get()[2] : sender;
        if (!"approve".equals(value)) {
            cards.close(channelType, platformId, threadId, platformMessageId, p.title() + "\n\n❌ Rejected " + name);
            return;
        }
        db.update("INSERT INTO agent_group_members(user_id, agent_group_id, added_by, added_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", sender, p.agentGroupId(), p.approverUserId(), Now.iso());
        cards.close(channelType, platformId, threadId, platformMessageId, p.title() + "\n\n✅ Approved " + name);
        replay(row.get()[1]);
    }

    private void answerChannel(Pending p, String value, String userId, String channelType, String platformId,
                               String threadId, String platformMessageId) {
        String mgId = p.key().substring(CHANNEL_PREFIX.length()); // both prefixes are five characters
        Optional<String> stored = db.one("SELECT original_message FROM pending_channel_approvals "
                + "WHERE messaging_group_id = ?", rs -> rs.getString(1), mgId);
        Optional<MessagingGroup> mg = messagingGroups.byId(mgId);
        if (stored.isEmpty() || mg.isEmpty()) {
            return;
        }
        if ("reject".equals(value)) {
            if (db.update("DELETE FROM pending_channel_approvals WHERE messaging_group_id = ?", mgId) == 1) {
                db.update("UPDATE messaging_groups SET denied_at = ? WHERE id = ?", Now.iso(), mgId);
                cards.close(channelType, platformId, threadId, platformMessageId, p.title() + "\n\n❌ Rejected");
            }
            return;
        }
        if ("choose_existing".equals(value) || "cancel".equals(value)) {
            switchCard(p, mgId, "cancel".equals(value), channelType, platformId, threadId, platformMessageId);
            return;
        }
        if ("new_agent".equals(value)) {
            loadAwaiting();
            String key = nameKey(channelType, platformId, userId);
            db.update("UPDATE pending_channel_approvals SET awaiting_name_key = ? WHERE messaging_group_id = ?", key,
                    mgId);
            awaitingName.put(key, mgId);
            notices.send(channelType, platformId, threadId, "Reply with the name for your new agent:");
            return;
        }
        String agId = value.substring("connect:".length());
        Optional<AgentGroup> ag = agentGroups.byId(agId);
        if (ag.isEmpty()) {
            notices.send(channelType, platformId, threadId, "That agent no longer exists. Nothing was done.");
            return;
        }
        if (connect(mg.get(), ag.get(), userId)) {
            cards.close(channelType, platformId, threadId, platformMessageId, p.title() + "\n\n✅ Connected to "
                    + ag.get().name());
        }
    }

    /**
     * "Choose existing agent" replaces the card by one listing every agent plus Cancel; Cancel brings the first card
     * back. The row's options say which card is open, so a stale click on the other one finds nothing.
     */
    private void switchCard(Pending p, String mgId, boolean back, String channelType, String platformId,
                            String threadId, String platformMessageId) {
        List<AgentGroup> groups = agentGroups.list();
        List<String> labels = new ArrayList<>();
        List<String> values = new ArrayList<>();
        if (back) {
            firstCardOptions(groups, labels, values);
        } else {
            for (AgentGroup g : groups) {
                labels.add("Connect to " + g.name());
                values.add("connect:" + g.id());
            }
            labels.add("Cancel");
            values.add("cancel");
        }
        if (db.update("UPDATE pending_channel_approvals SET options_json = ? WHERE messaging_group_id = ? "
                + "AND options_json = ?", optionsJson(labels, values), mgId, optionsJson(p.labels(), p.values()))
                != 1) {
            return; // answered or switched meanwhile
        }
        cards.close(channelType, platformId, threadId, platformMessageId, p.title() + "\n\n"
                + (back ? "Cancelled" : "Choosing an agent…"));
        String key = (back ? CHANNEL_PREFIX : PICK_PREFIX) + mgId;
        String question = back ? "Connect this chat to an agent?" : "Which agent should answer in this chat?";
        try {
            cards.send(channelType, platformId, threadId, new ChoiceCard(key, p.title(), question, labels));
        } catch (Exception e) {
            LOG.warnf("access approval %s: the follow-up card could not be sent: %s", key, e.getMessage());
        }
    }

    /**
     * The approver's reply after "New agent" (host.md 4.8): the next non-empty message in that DM names the agent.
     *
     * @return true when the message was taken as the name and must not reach an agent
     */
    public boolean claimNameReply(String channelType, String platformId, String userId, String text) {
        loadAwaiting();
        if (userId == null || awaitingName.isEmpty()) {
            return false;
        }
        String k = nameKey(channelType, platformId, userId);
        String mgId = awaitingName.get(k);
        if (mgId == null || text == null || text.isBlank()) {
            return false;
        }
        Optional<MessagingGroup> mg = messagingGroups.byId(mgId);
        if (mg.isEmpty() || db.one("SELECT 1 FROM pending_channel_approvals WHERE messaging_group_id = ?", rs -> 1,
                mgId).isEmpty()) {
            awaitingName.remove(k);
            return false; // answered some other way meanwhile: this is just a message
        }
        AgentGroup g;
        try {
            g = creator.createTopLevel(text);
        } catch (CreateAgentRefused e) {
            notices.send(channelType, platformId, null, e.getMessage() + " Reply with another name:");
            return true;
        }
        awaitingName.remove(k);
        if (connect(mg.get(), g, userId)) {
            notices.send(channelType, platformId, null, "✅ Agent " + g.name() + " created and connected.");
        }
        return true;
    }

    /** Wires the chat to the agent, makes the sender a member and replays their message; false if already done. */
    private boolean connect(MessagingGroup mg, AgentGroup ag, String byUserId) {
        Optional<String> stored = db.one("SELECT original_message FROM pending_channel_approvals "
                + "WHERE messaging_group_id = ?", rs -> rs.getString(1), mg.id());
        if (stored.isEmpty()
                || db.update("DELETE FROM pending_channel_approvals WHERE messaging_group_id = ?", mg.id()) != 1) {
            return false;
        }
        JsonNode event = read(stored.get());
        boolean threaded = event.hasNonNull("threadId");
        String sender = Users.userId(mg.channelType(), event.path("message").path("senderHandle").asText(null));
        db.inTransaction(c -> {
            wirings.create(c, mg, ag.id(), threaded ? "mention-sticky" : "pattern", threaded ? null : ".",
                    "known", "accumulate", "shared", 0);
            if (sender != null) {
                users.upsert(c, sender, mg.channelType(), event.path("message").path("senderName").asText(null));
                Db.exec(c, "INSERT INTO agent_group_members(user_id, agent_group_id, added_by, added_at) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", sender, ag.id(), byUserId, Now.iso());
            }
            return null;
        });
        projection.reproject(ag.id());
        LOG.infof("chat %s connected to agent %s by %s", mg.id(), ag.id(), byUserId);
        replay(stored.get());
        return true;
    }

    /** The waits recorded by an earlier run, once per start. */
    private void loadAwaiting() {
        if (awaitingLoaded) {
            return;
        }
        synchronized (awaitingName) {
            if (!awaitingLoaded) {
                db.query("SELECT awaiting_name_key, messaging_group_id FROM pending_channel_approvals "
                        + "WHERE awaiting_name_key IS NOT NULL", rs -> awaitingName.putIfAbsent(rs.getString(1),
                        rs.getString(2)));
                awaitingLoaded = true;
            }
        }
    }

    /** As after a host restart: the in-memory waits are gone (tests). */
    void forgetInMemory() {
        awaitingName.clear();
        awaitingLoaded = false;
    }

    private static String nameKey(String channelType, String platformId, String userId) {
        return channelType + "\n" + platformId + "\n" + userId;
    }

    // ---- rows and the stored event ----

    private Optional<Pending> sender(String id) {
        return db.one("SELECT id, agent_group_id, approver_user_id, title, options_json FROM "
                + "pending_sender_approvals WHERE id = ?", rs -> pending(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5), false), id);
    }

    private Optional<Pending> channel(String mgId) {
        return db.one("SELECT messaging_group_id, agent_group_id, approver_user_id, title, options_json FROM "
                + "pending_channel_approvals WHERE messaging_group_id = ?", rs -> {
                    Pending p = pending(CHANNEL_PREFIX + rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), true);
                    return p.values().contains("cancel") ? new Pending(PICK_PREFIX + rs.getString(1),
                            p.agentGroupId(), p.approverUserId(), p.title(), p.labels(), p.values(), true) : p;
                }, mgId);
    }

    private Pending pending(String key, String agId, String approver, String title, String options,
                            boolean channel) {
        List<String> labels = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (JsonNode o : read(options)) {
            labels.add(o.path("label").asText());
            values.add(o.path("value").asText());
        }
        return new Pending(key, agId, approver, title, labels, values, channel);
    }

    private String optionsJson(List<String> labels, List<String> values) {
        ArrayNode a = mapper.createArrayNode();
        for (int i = 0; i < labels.size(); i++) {
            a.addObject().put("label", labels.get(i)).put("value", values.get(i));
        }
        return a.toString();
    }

    private String storeEvent(MessagingGroup mg, String threadId, InboundMessage msg) {
        ObjectNode n = mapper.createObjectNode().put("channelType", mg.channelType())
                .put("platformId", mg.platformId()).put("threadId", threadId);
        n.set("message", mapper.valueToTree(msg));
        return n.toString();
    }

    private void replay(String stored) {
        try {
            JsonNode n = read(stored);
            InboundMessage msg = mapper.treeToValue(n.get("message"), InboundMessage.class);
            router.get().onInbound(n.path("channelType").asText(), n.path("platformId").asText(),
                    n.path("threadId").asText(null), msg);
        } catch (Exception e) {
            LOG.warnf("replaying an approved message failed: %s", e.getMessage());
        }
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json == null ? "null" : json);
        } catch (Exception e) {
            return mapper.nullNode();
        }
    }

    private static String chatName(MessagingGroup mg) {
        return mg.name() != null && !mg.name().isBlank() ? mg.name() : mg.channelType() + ":" + mg.platformId();
    }
}
