package io.nanoclaw.host.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.nanoclaw.host.testkit.RecordingWaker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** host.md 10, router #17-23, plus the engage, access, accumulate, fan-out and command-gate rules (4.3-4.6). */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class RouterBehaviourTest {
    static final RecordingAdapter CHAT = new RecordingAdapter("test", false);
    static final RecordingAdapter THREADED = new RecordingAdapter("threaded", true);

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

    @BeforeEach
    void adapters() {
        channels.register(CHAT);
        channels.register(THREADED);
        waker.failWith = null;
        waker.queuedAhead = null;
    }

    private static InboundMessage msg(String text, String sender, boolean mention, boolean group) {
        String id = CoreFixture.unique("pm-");
        String content = "{\"text\":\"" + text + "\",\"sender\":\"" + sender + "\",\"senderId\":\"" + sender + "\"}";
        return new InboundMessage(id, "chat", content, "2026-01-01T00:00:00Z", mention, group, sender, sender);
    }

    private List<String[]> rows(Session s) throws Exception {
        return fx.inboundRows(s.agentGroupId(), s.id(),
                "SELECT id, seq, trigger, platform_id, channel_type, thread_id, content FROM messages_in ORDER BY seq");
    }

    private Session onlySession(AgentGroup ag) {
        List<Session> all = sessions.activeOf(ag.id());
        assertEquals(1, all.size(), "sessions of " + ag.id());
        return all.get(0);
    }

    @Test
    void endToEndTheRowIsWrittenAndWakeIsCalled() throws Exception { // #17
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "general", false, "public");
        fx.wireAll(mg, ag);
        router.onInbound("test", mg.platformId(), null, msg("hello", "u1", false, false));
        Session s = onlySession(ag);
        List<String[]> rows = rows(s);
        assertEquals(1, rows.size());
        assertTrue(rows.get(0)[0].endsWith(":" + ag.id()), "row id = <platform id>:<agent group>");
        assertEquals("2", rows.get(0)[1], "host seqs are even");
        assertEquals("1", rows.get(0)[2], "trigger");
        assertTrue(waker.woken.contains(s.id()));
    }

    @Test
    void unknownChatIsCreatedOnlyOnAMentionAndRecordedAsADrop() { // #18
        String pid = CoreFixture.unique("unknown-");
        router.onInbound("test", pid, null, msg("hi", "u2", false, true));
        assertTrue(fx.db.query("SELECT 1 FROM messaging_groups WHERE platform_id = ?", r -> 1, pid).isEmpty());
        router.onInbound("test", pid, null, msg("@bot hi", "u2", true, true));
        router.onInbound("test", pid, null, msg("@bot again", "u2", true, true));
        assertEquals(List.of("request_approval"), fx.db.query(
                "SELECT unknown_sender_policy FROM messaging_groups WHERE platform_id = ?", r -> r.getString(1), pid));
        assertEquals(List.of("no_agent_wired:2"), fx.db.query("SELECT reason || ':' || message_count FROM "
                + "unregistered_senders WHERE platform_id = ?", r -> r.getString(1), pid));
    }

    @Test
    void twoMessagesShareOneSession() throws Exception { // #19
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "general", false, "public");
        fx.wireAll(mg, ag);
        router.onInbound("test", mg.platformId(), null, msg("one", "u1", false, false));
        router.onInbound("test", mg.platformId(), null, msg("two", "u1", false, false));
        Session s = onlySession(ag);
        List<String[]> rows = rows(s);
        assertEquals(2, rows.size());
        assertEquals("2", rows.get(0)[1]);
        assertEquals("4", rows.get(1)[1]);
    }

    @Test
    void fanOutGivesTwoSessionsAndTwoWakesInPriorityOrder() { // #20
        AgentGroup low = fx.group("Low");
        AgentGroup high = fx.group("High");
        MessagingGroup mg = fx.chat("test", "general", true, "public");
        fx.wire(mg, low, "pattern", ".", "all", "drop", "shared", 1);
        fx.wire(mg, high, "pattern", ".", "all", "drop", "shared", 9);
        int before = waker.woken.size();
        router.onInbound("test", mg.platformId(), null, msg("all of you", "u1", false, true));
        List<String> woke = waker.woken.subList(before, waker.woken.size());
        assertEquals(List.of(onlySession(high).id(), onlySession(low).id()), woke);
    }

    @Test
    void accumulateWritesContextRowsWithTriggerZeroAndNoWake() throws Exception { // #21
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "team", true, "public");
        fx.wire(mg, ag, "mention", null, "all", "accumulate", "shared", 0);
        int before = waker.woken.size();
        router.onInbound("test", mg.platformId(), null, msg("just chatting", "u1", false, true));
        assertEquals(before, waker.woken.size(), "no wake for context");
        assertEquals("0", rows(onlySession(ag)).get(0)[2]);
        router.onInbound("test", mg.platformId(), null, msg("@bot now you", "u1", true, true));
        assertEquals("1", rows(onlySession(ag)).get(1)[2]);
        assertEquals(before + 1, waker.woken.size());
    }

    @Test
    void dropMakesNoSessionAndIsAudited() { // #22
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "team", true, "public");
        fx.wire(mg, ag, "mention", null, "all", "drop", "shared", 0);
        router.onInbound("test", mg.platformId(), null, msg("not for the bot", "u1", false, true));
        assertTrue(sessions.activeOf(ag.id()).isEmpty());
        assertEquals(List.of("no_agent_engaged"), fx.db.query(
                "SELECT reason FROM unregistered_senders WHERE platform_id = ?", r -> r.getString(1), mg.platformId()));
    }

    @Test
    void theRowKeepsTheEventsAddressAndNothingLeaksBetweenAgents() throws Exception { // #23
        AgentGroup a = fx.group("A");
        AgentGroup b = fx.group("B");
        MessagingGroup forA = fx.chat("test", "a-chat", false, "public");
        MessagingGroup forB = fx.chat("test", "b-chat", false, "public");
        fx.wireAll(forA, a);
        fx.wireAll(forB, b);
        router.onInbound("test", forA.platformId(), null, msg("for a", "u1", false, false));
        List<String[]> aRows = rows(onlySession(a));
        assertEquals(forA.platformId(), aRows.get(0)[3]);
        assertEquals("test", aRows.get(0)[4]);
        assertTrue(sessions.activeOf(b.id()).isEmpty(), "B saw nothing");
    }

    @Test
    void perThreadIsForcedOnThreadedGroupChatsAndSharedReusesTheSession() throws Exception {
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("threaded", "forum", true, "public");
        fx.wireAll(mg, ag);
        router.onInbound("threaded", mg.platformId(), "t1", msg("in t1", "u1", false, true));
        router.onInbound("threaded", mg.platformId(), "t2", msg("in t2", "u1", false, true));
        router.onInbound("threaded", mg.platformId(), "t1", msg("t1 again", "u1", false, true));
        List<Session> all = sessions.activeOf(ag.id());
        assertEquals(2, all.size(), "one session per thread");
        Session t1 = all.stream().filter(s -> "t1".equals(s.threadId())).findFirst().orElseThrow();
        assertEquals(2, rows(t1).size());
        assertEquals("t1", rows(t1).get(0)[5]);
    }

    @Test
    void agentSharedKeepsOneSessionPerGroupAcrossChats() {
        AgentGroup ag = fx.group("A");
        MessagingGroup one = fx.chat("test", "one", false, "public");
        MessagingGroup two = fx.chat("test", "two", false, "public");
        fx.wire(one, ag, "pattern", ".", "all", "drop", "agent-shared", 0);
        fx.wire(two, ag, "pattern", ".", "all", "drop", "agent-shared", 0);
        router.onInbound("test", one.platformId(), null, msg("from one", "u1", false, false));
        router.onInbound("test", two.platformId(), null, msg("from two", "u1", false, false));
        router.onInbound("test", one.platformId(), null, msg("one again", "u1", false, false));
        Session s = onlySession(ag);
        assertEquals(one.id(), s.messagingGroupId(), "replies default to the first chat");
    }

    @Test
    void strictChatsAdmitOnlyMembersOwnersAndAdmins() throws Exception {
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "strict", true, "strict");
        fx.wireAll(mg, ag);
        fx.member("test:member", ag);
        fx.role("test:scopedadmin", "admin", ag);
        router.onInbound("test", mg.platformId(), null, msg("stranger", "stranger", false, true));
        assertTrue(sessions.activeOf(ag.id()).isEmpty(), "an unknown sender is never stored");
        assertEquals(List.of("unknown_sender_strict"), fx.db.query(
                "SELECT reason FROM unregistered_senders WHERE platform_id = ?", r -> r.getString(1), mg.platformId()));
        router.onInbound("test", mg.platformId(), null, msg("member", "member", false, true));
        router.onInbound("test", mg.platformId(), null, msg("admin", "scopedadmin", false, true));
        assertEquals(2, rows(onlySession(ag)).size());
    }

    @Test
    void requestApprovalChatsRecordTheDropWithItsReason() {
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "ask", true, "request_approval");
        fx.wireAll(mg, ag);
        router.onInbound("test", mg.platformId(), null, msg("let me in", "newcomer", false, true));
        assertTrue(sessions.activeOf(ag.id()).isEmpty());
        assertEquals(List.of("unknown_sender_request_approval"), fx.db.query(
                "SELECT reason FROM unregistered_senders WHERE platform_id = ?", r -> r.getString(1), mg.platformId()));
    }

    @Test
    void knownSenderScopeChecksAccessEvenOnAPublicChat() {
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "public", true, "public");
        fx.wire(mg, ag, "pattern", ".", "known", "drop", "shared", 0);
        router.onInbound("test", mg.platformId(), null, msg("hi", "anyone", false, true));
        assertTrue(sessions.activeOf(ag.id()).isEmpty());
        fx.member("test:friend", ag);
        router.onInbound("test", mg.platformId(), null, msg("hi", "friend", false, true));
        assertEquals(1, sessions.activeOf(ag.id()).size());
    }

    @Test
    void patternsMatchUnanchoredAndAnInvalidRegexMatchesEverything() {
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "p", true, "public");
        fx.wire(mg, ag, "pattern", "remind", "all", "drop", "shared", 0);
        router.onInbound("test", mg.platformId(), null, msg("please ignore", "u1", false, true));
        assertTrue(sessions.activeOf(ag.id()).isEmpty());
        router.onInbound("test", mg.platformId(), null, msg("can you remind me", "u1", false, true));
        assertEquals(1, sessions.activeOf(ag.id()).size());
        assertTrue(EngageRule.matchesPattern("([unclosed", "anything"), "an invalid regex matches, as upstream");
    }

    @Test
    void mentionStickyEngagesWithoutAMentionOnceAThreadHasASession() {
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("threaded", "forum", true, "public");
        fx.wire(mg, ag, "mention-sticky", null, "all", "drop", "per-thread", 0);
        router.onInbound("threaded", mg.platformId(), "t9", msg("no mention yet", "u1", false, true));
        assertTrue(sessions.activeOf(ag.id()).isEmpty());
        router.onInbound("threaded", mg.platformId(), "t9", msg("@bot help", "u1", true, true));
        router.onInbound("threaded", mg.platformId(), "t9", msg("follow-up", "u1", false, true));
        assertEquals(1, sessions.activeOf(ag.id()).size());
        assertNotEquals(0, waker.woken.size());
    }

    @Test
    void adminCommandsFromNonAdminsAreRefusedThroughTheChannelNotTheAgent() throws Exception {
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "cmds", false, "public");
        fx.wireAll(mg, ag);
        router.onInbound("test", mg.platformId(), null, msg("/clear", "u1", false, false));
        assertEquals(List.of("Permission denied: /clear requires admin access."), CHAT.textsTo(mg.platformId()));
        router.onInbound("test", mg.platformId(), null, msg("/login", "u1", false, false));
        Optional<Session> s = sessions.activeOf(ag.id()).stream().findFirst();
        if (s.isPresent()) {
            assertTrue(rows(s.get()).isEmpty(), "neither command reached the agent");
        }
        fx.role("test:boss", "owner", null);
        router.onInbound("test", mg.platformId(), null, msg("/clear", "boss", false, false));
        assertEquals(1, rows(onlySession(ag)).size(), "an owner's /clear reaches the agent");
    }

    @Test
    void anAgentThatCannotStartIsReportedToTheChat() {
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "broken", false, "public");
        fx.wireAll(mg, ag);
        waker.failWith = "the agent image is missing: run ./nanoclaw setup";
        router.onInbound("test", mg.platformId(), null, msg("hello?", "u1", false, false));
        List<String> texts = CHAT.textsTo(mg.platformId());
        assertEquals(1, texts.size());
        assertTrue(texts.get(0).contains("image is missing") && texts.get(0).contains("kept"), texts.get(0));
    }

    @Test
    void aWakeQueuedBehindTheCapIsToldOnceAndNotAsAFailure() throws Exception {
        AgentGroup ag = fx.group("A");
        MessagingGroup mg = fx.chat("test", "busy", false, "public");
        fx.wireAll(mg, ag);
        waker.queuedAhead = 2;
        router.onInbound("test", mg.platformId(), null, msg("first", "u1", false, false));
        router.onInbound("test", mg.platformId(), null, msg("second", "u1", false, false));
        List<String> texts = CHAT.textsTo(mg.platformId());
        assertEquals(1, texts.size(), "one notice per queued session, not per message: " + texts);
        assertTrue(texts.get(0).contains("queued behind 2 other conversations")
                && !texts.get(0).contains("couldn't start"), texts.get(0));
        assertEquals(2, fx.inboundRows(ag.id(), onlySession(ag).id(), "SELECT id FROM messages_in").size(),
                "both messages are kept for the agent");
    }
}
