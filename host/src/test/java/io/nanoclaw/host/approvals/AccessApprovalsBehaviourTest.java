package io.nanoclaw.host.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.channels.ActionEvent;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.routing.Router;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.nanoclaw.host.testkit.RecordingWaker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** host.md 10 items 61-62: sender approval (4.6) and channel approval (4.7), with decisions.md's clicker check. */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class AccessApprovalsBehaviourTest {
    @Inject
    Router router;
    @Inject
    CoreFixture fx;
    @Inject
    Sessions sessions;
    @Inject
    RecordingWaker waker;
    @Inject
    ChannelRegistry channels;
    @Inject
    AccessApprovals access;
    @Inject
    io.nanoclaw.host.entities.MessagingGroups messagingGroups;

    RecordingAdapter btn;   // buttons and edits
    RecordingAdapter plain; // numbered text
    AgentGroup ag;
    MessagingGroup family;  // a group chat that asks before letting strangers in
    String boss;

    @BeforeEach
    void setUp() {
        btn = new RecordingAdapter(CoreFixture.unique("abtn"), false, true);
        plain = new RecordingAdapter(CoreFixture.unique("atxt"), false);
        channels.register(btn);
        channels.register(plain);
        waker.failWith = null;
        waker.queuedAhead = null;
        ag = fx.group(CoreFixture.unique("Fam"));
        family = fx.chat(btn.channelType(), "family", true, "request_approval");
        fx.wireAll(family, ag);
        boss = btn.channelType() + ":boss";
        fx.role(boss, "admin", ag);
    }

    private static InboundMessage msg(String text, String sender, boolean mention, boolean group) {
        String content = "{\"text\":\"" + text + "\",\"sender\":\"" + sender + "\",\"senderId\":\"" + sender + "\"}";
        return new InboundMessage(CoreFixture.unique("pm-"), "chat", content, "2026-01-01T00:00:00Z", mention, group,
                sender, sender);
    }

    private void click(RecordingAdapter a, String dm, String who, String buttonId) {
        router.onAction(a.channelType(), dm, null, new ActionEvent(who, who, buttonId, null));
    }

    private List<RecordingAdapter.Delivery> cardsTo(RecordingAdapter a, String platformId) {
        return a.delivered.stream().filter(d -> d.platformId().equals(platformId)
                && "choice_card".equals(d.message().content().path("type").asText())).toList();
    }

    /** With several agents the first card says "Choose existing agent"; the second lists them (host.md 4.7). */
    private void connectTo(RecordingAdapter a, String dm, String who, AgentGroup g) {
        List<RecordingAdapter.Delivery> cards = cardsTo(a, dm);
        List<String> first = labels(cards.get(cards.size() - 1));
        click(a, dm, who, a.buttonsIn(dm).get(first.indexOf("Choose existing agent")));
        cards = cardsTo(a, dm);
        List<String> pick = labels(cards.get(cards.size() - 1));
        assertEquals("Cancel", pick.get(pick.size() - 1));
        click(a, dm, who, a.buttonsIn(dm).get(pick.indexOf("Connect to " + g.name())));
    }

    private List<String> labels(RecordingAdapter.Delivery card) {
        List<String> out = new ArrayList<>();
        card.message().content().path("buttons").forEach(b -> out.add(b.path("label").asText()));
        return out;
    }

    private int senderRows(MessagingGroup mg) {
        return fx.db.one("SELECT count(*) FROM pending_sender_approvals WHERE messaging_group_id = ?",
                r -> r.getInt(1), mg.id()).orElse(0);
    }

    private boolean isMember(String userId, AgentGroup g) {
        return fx.db.one("SELECT 1 FROM agent_group_members WHERE user_id = ? AND agent_group_id = ?", r -> 1,
                userId, g.id()).isPresent();
    }

    private List<String> texts(Session s) throws Exception {
        List<String> out = new ArrayList<>();
        for (String[] r : fx.inboundRows(s.agentGroupId(), s.id(), "SELECT content FROM messages_in ORDER BY seq")) {
            out.add(r[0]);
        }
        return out;
    }

    @Test
    void aNewSenderGetsOneCardInTheApproversDm() {
        router.onInbound(btn.channelType(), family.platformId(), null, msg("hello", "newcomer", false, true));
        assertTrue(sessions.activeOf(ag.id()).isEmpty(), "nothing reaches the agent before approval");
        List<RecordingAdapter.Delivery> cards = cardsTo(btn, "boss");
        assertEquals(1, cards.size());
        String text = cards.get(0).message().content().path("text").asText();
        assertTrue(text.startsWith("👤 New sender"), text);
        assertTrue(text.contains("newcomer wants to talk to your agent in family. Allow?"), text);
        assertEquals(List.of("Approve", "Reject"), labels(cards.get(0)));
        assertEquals(1, senderRows(family));

        router.onInbound(btn.channelType(), family.platformId(), null, msg("hello again", "newcomer", false, true));
        assertEquals(1, cardsTo(btn, "boss").size(), "dedup on (chat, sender)");
        assertEquals(1, senderRows(family));
    }

    @Test
    void approvingAddsTheMemberAndReplaysTheMessage() throws Exception {
        router.onInbound(btn.channelType(), family.platformId(), null, msg("hello", "newcomer", false, true));
        List<String> ids = btn.buttonsIn("boss");
        click(btn, "boss", "boss", ids.get(0));
        String newcomer = btn.channelType() + ":newcomer";
        assertTrue(isMember(newcomer, ag));
        assertEquals(0, senderRows(family));
        List<Session> ss = sessions.activeOf(ag.id());
        assertEquals(1, ss.size());
        List<String> rows = texts(ss.get(0));
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).contains("hello"), rows.get(0));
        assertTrue(waker.woken.contains(ss.get(0).id()));
        assertTrue(btn.textsTo("boss").stream().anyMatch(t -> t != null && t.contains("Approved")));

        click(btn, "boss", "boss", ids.get(0)); // a second click finds nothing to do
        assertEquals(1, texts(ss.get(0)).size());
    }

    @Test
    void rejectingDropsWithoutADenyList() {
        router.onInbound(btn.channelType(), family.platformId(), null, msg("hello", "pest", false, true));
        click(btn, "boss", "boss", btn.buttonsIn("boss").get(1));
        assertEquals(0, senderRows(family));
        assertTrue(!isMember(btn.channelType() + ":pest", ag));
        assertTrue(sessions.activeOf(ag.id()).isEmpty());
        router.onInbound(btn.channelType(), family.platformId(), null, msg("please", "pest", false, true));
        assertEquals(2, cardsTo(btn, "boss").size(), "no deny list: a later message asks again");
    }

    @Test
    void aClickFromSomeoneElseIsIgnoredAndAGlobalAdminsIsAccepted() {
        router.onInbound(btn.channelType(), family.platformId(), null, msg("hi", "cousin", false, true));
        String approve = btn.buttonsIn("boss").get(0);
        String member = btn.channelType() + ":aunt";
        fx.member(member, ag); // a member, not an admin
        click(btn, "aunt", "aunt", approve);
        click(btn, "stranger", "stranger", approve);
        assertEquals(1, senderRows(family));
        assertTrue(!isMember(btn.channelType() + ":cousin", ag));

        fx.role(btn.channelType() + ":root", "admin", null); // global admin
        click(btn, "root", "root", approve);
        assertEquals(0, senderRows(family));
        assertTrue(isMember(btn.channelType() + ":cousin", ag));
    }

    @Test
    void onAChannelWithoutButtonsTheApproverTypesTheNumber() throws Exception {
        MessagingGroup chat = fx.chat(plain.channelType(), "club", true, "request_approval");
        fx.wireAll(chat, ag);
        fx.role(plain.channelType() + ":chair", "admin", ag);
        router.onInbound(plain.channelType(), chat.platformId(), null, msg("knock", "guest", false, true));
        List<String> dm = plain.textsTo("chair");
        assertEquals(1, dm.size());
        assertTrue(dm.get(0).endsWith("Reply with the number: 1. Approve  2. Reject"), dm.get(0));
        router.onInbound(plain.channelType(), "chair", null, msg("1", "chair", false, false));
        assertTrue(isMember(plain.channelType() + ":guest", ag));
        Session s = sessions.activeOf(ag.id()).stream().filter(x -> chat.id().equals(x.messagingGroupId()))
                .findFirst().orElseThrow();
        assertTrue(texts(s).get(0).contains("knock"));
    }

    @Test
    void aMentionInANewChannelAsksToConnectAndConnectWiresAndReplays() throws Exception {
        fx.role(btn.channelType() + ":chief", "admin", null);
        String pid = CoreFixture.unique("newchan-");
        router.onInbound(btn.channelType(), pid, null, msg("@bot hi", "alice", true, true));
        List<RecordingAdapter.Delivery> cards = cardsTo(btn, "chief");
        assertEquals(1, cards.size());
        assertTrue(cards.get(0).message().content().path("title").asText()
                .equals("📣 Bot mentioned in new channel"));
        List<String> labels = labels(cards.get(0));
        assertEquals(List.of("Choose existing agent", "New agent", "Reject"), labels, "several agents to choose from");

        router.onInbound(btn.channelType(), pid, null, msg("@bot hello?", "alice", true, true));
        assertEquals(1, cardsTo(btn, "chief").size(), "dedup on the chat");

        click(btn, "stranger", "stranger", btn.buttonsIn("chief").get(0));
        assertEquals(1, cardsTo(btn, "chief").size(), "a stranger's click is ignored");
        MessagingGroup mg = messagingGroups.find(btn.channelType(), pid).orElseThrow();

        connectTo(btn, "chief", "chief", ag);
        assertEquals(List.of("pattern|.|known|accumulate|shared|" + ag.id()), fx.db.query("SELECT engage_mode || '|' "
                + "|| engage_pattern || '|' || sender_scope || '|' || ignored_message_policy || '|' || session_mode "
                + "|| '|' || agent_group_id FROM messaging_group_agents WHERE messaging_group_id = ?",
                r -> r.getString(1), mg.id()));
        assertTrue(fx.db.one("SELECT 1 FROM agent_destinations WHERE agent_group_id = ? AND target_id = ?", r -> 1,
                ag.id(), mg.id()).isPresent(), "the wiring adds the destination");
        assertTrue(isMember(btn.channelType() + ":alice", ag));
        assertTrue(fx.db.query("SELECT 1 FROM pending_channel_approvals WHERE messaging_group_id = ?", r -> 1,
                mg.id()).isEmpty());
        Session s = sessions.activeOf(ag.id()).stream().filter(x -> mg.id().equals(x.messagingGroupId()))
                .findFirst().orElseThrow();
        assertTrue(texts(s).get(0).contains("@bot hi"));
        assertTrue(waker.woken.contains(s.id()));
    }

    @Test
    void choosingAnAgentCanBeCancelledAndAStaleClickOnTheOtherCardDoesNothing() {
        fx.role(btn.channelType() + ":chief", "admin", null);
        String pid = CoreFixture.unique("pick-");
        router.onInbound(btn.channelType(), pid, null, msg("@bot hi", "dora", true, true));
        List<String> firstIds = btn.buttonsIn("chief");
        click(btn, "chief", "chief", firstIds.get(0)); // Choose existing agent
        List<RecordingAdapter.Delivery> cards = cardsTo(btn, "chief");
        assertEquals(2, cards.size());
        List<String> pick = labels(cards.get(1));
        assertTrue(pick.contains("Connect to " + ag.name()), pick.toString());
        click(btn, "chief", "chief", firstIds.get(2)); // Reject, on the card that was replaced
        MessagingGroup mg = messagingGroups.find(btn.channelType(), pid).orElseThrow();
        assertNull(mg.deniedAt(), "a click on the replaced card is stale");
        List<String> pickIds = btn.buttonsIn("chief");
        click(btn, "chief", "chief", pickIds.get(pickIds.size() - 1)); // Cancel
        cards = cardsTo(btn, "chief");
        assertEquals(List.of("Choose existing agent", "New agent", "Reject"), labels(cards.get(cards.size() - 1)),
                "Cancel brings the first card back");
        click(btn, "chief", "chief", pickIds.get(pick.indexOf("Connect to " + ag.name())));
        assertTrue(fx.db.query("SELECT 1 FROM messaging_group_agents WHERE messaging_group_id = ?", r -> 1, mg.id())
                .isEmpty(), "the cancelled list no longer connects");
        connectTo(btn, "chief", "chief", ag);
        assertEquals(1, fx.db.query("SELECT 1 FROM messaging_group_agents WHERE messaging_group_id = ?", r -> 1,
                mg.id()).size());
    }

    @Test
    void anUnnamedChatIsNamedByThePlatformOnTheCard() {
        fx.role(btn.channelType() + ":chief", "admin", null);
        String pid = CoreFixture.unique("named-");
        btn.names.put(pid, "#garden");
        router.onInbound(btn.channelType(), pid, null, msg("@bot hi", "erin", true, true));
        List<RecordingAdapter.Delivery> cards = cardsTo(btn, "chief");
        assertTrue(cards.get(cards.size() - 1).message().content().path("question").asText()
                .contains("mentioned the bot in #garden"));
        assertEquals("#garden", messagingGroups.find(btn.channelType(), pid).orElseThrow().name());
    }

    @Test
    void aDirectMessageAsksTooAndRejectSetsDeniedAt() {
        fx.role(btn.channelType() + ":chief", "admin", null);
        String pid = CoreFixture.unique("dm-");
        router.onInbound(btn.channelType(), pid, null, msg("hi there", "bob", false, false));
        List<RecordingAdapter.Delivery> cards = cardsTo(btn, "chief");
        assertEquals(1, cards.size());
        assertEquals("💬 New direct message", cards.get(0).message().content().path("title").asText());
        List<String> ids = btn.buttonsIn("chief");
        click(btn, "chief", "chief", ids.get(ids.size() - 1));
        MessagingGroup mg = messagingGroups.find(btn.channelType(), pid).orElseThrow();
        assertNotNull(mg.deniedAt());
        assertTrue(fx.db.query("SELECT 1 FROM pending_channel_approvals WHERE messaging_group_id = ?", r -> 1,
                mg.id()).isEmpty());
        assertTrue(fx.db.query("SELECT 1 FROM messaging_group_agents WHERE messaging_group_id = ?", r -> 1, mg.id())
                .isEmpty());
        router.onInbound(btn.channelType(), pid, null, msg("hello??", "bob", false, false));
        assertEquals(1, cardsTo(btn, "chief").size(), "a denied chat never asks again");
    }

    @Test
    void aThreadedMentionIsWiredMentionSticky() {
        RecordingAdapter threaded = new RecordingAdapter(CoreFixture.unique("athr"), true, true);
        channels.register(threaded);
        fx.role(threaded.channelType() + ":chief", "admin", null);
        String pid = CoreFixture.unique("thr-");
        router.onInbound(threaded.channelType(), pid, "t-1", msg("@bot look", "carol", true, true));
        connectTo(threaded, "chief", "chief", ag);
        MessagingGroup mg = messagingGroups.find(threaded.channelType(), pid).orElseThrow();
        assertEquals(List.of("mention-sticky"), fx.db.query("SELECT engage_mode FROM messaging_group_agents "
                + "WHERE messaging_group_id = ?", r -> r.getString(1), mg.id()));
        assertEquals(1, sessions.activeOf(ag.id()).stream().filter(x -> mg.id().equals(x.messagingGroupId()))
                .count());
    }

    @Test
    void theWaitForANewAgentsNameSurvivesAHostRestart() {
        fx.role(btn.channelType() + ":chief", "admin", null);
        String pid = CoreFixture.unique("newag-r-");
        router.onInbound(btn.channelType(), pid, null, msg("@bot start", "gus", true, true));
        List<RecordingAdapter.Delivery> cards = cardsTo(btn, "chief");
        List<String> labels = labels(cards.get(cards.size() - 1));
        click(btn, "chief", "chief", btn.buttonsIn("chief").get(labels.indexOf("New agent")));
        access.forgetInMemory(); // what a restart does to the in-memory wait
        String name = CoreFixture.unique("Restarted ");
        router.onInbound(btn.channelType(), "chief", null, msg(name, "chief", false, false));
        List<String> dm = btn.textsTo("chief");
        assertEquals("✅ Agent " + name + " created and connected.", dm.get(dm.size() - 1));
    }

    @Test
    void newAgentTakesTheApproversNextMessageAsItsNameThenWires() throws Exception {
        fx.role(btn.channelType() + ":chief", "admin", null);
        String pid = CoreFixture.unique("newag-");
        router.onInbound(btn.channelType(), pid, null, msg("@bot start", "dora", true, true));
        List<String> labels = labels(cardsTo(btn, "chief").get(0));
        assertEquals("New agent", labels.get(labels.size() - 2));
        click(btn, "chief", "chief", btn.buttonsIn("chief").get(labels.size() - 2));
        List<String> dm = btn.textsTo("chief");
        assertEquals("Reply with the name for your new agent:", dm.get(dm.size() - 1));

        router.onInbound(btn.channelType(), "chief", null, msg("", "chief", false, false)); // empty: still waiting
        String name = CoreFixture.unique("Helper ");
        router.onInbound(btn.channelType(), "chief", null, msg(name, "chief", false, false));
        dm = btn.textsTo("chief");
        assertEquals("✅ Agent " + name + " created and connected.", dm.get(dm.size() - 1));
        String agId = fx.db.one("SELECT id FROM agent_groups WHERE name = ?", r -> r.getString(1), name)
                .orElseThrow();
        MessagingGroup mg = messagingGroups.find(btn.channelType(), pid).orElseThrow();
        assertEquals(List.of(agId), fx.db.query("SELECT agent_group_id FROM messaging_group_agents "
                + "WHERE messaging_group_id = ?", r -> r.getString(1), mg.id()));
        Session s = sessions.activeOf(agId).get(0);
        assertTrue(texts(s).get(0).contains("@bot start"));
        assertTrue(fx.db.one("SELECT 1 FROM agent_group_members WHERE user_id = ? AND agent_group_id = ?", r -> 1,
                btn.channelType() + ":dora", agId).isPresent());
    }
}
