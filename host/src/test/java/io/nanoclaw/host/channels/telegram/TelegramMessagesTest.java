package io.nanoclaw.host.channels.telegram;

import static io.nanoclaw.host.channels.telegram.TelegramFixture.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.delivery.UndeliverableException;
import io.nanoclaw.host.channels.telegram.TelegramFixture.Wired;
import io.nanoclaw.host.entities.Session;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages in and out through the router, against the fake Bot API (long polling, real envelopes). */
@QuarkusTest
@TestProfile(TelegramProfile.class)
class TelegramMessagesTest {
    @Inject
    TelegramFixture f;
    @Inject
    ChannelRegistry channels;
    @Inject
    TelegramChannel telegram;

    FakeTelegram tg = FakeTelegram.shared();

    @Test
    void theChannelConnectsAsTheBot() {
        awaitTrue("connected", () -> telegram.isConnected());
        assertEquals(ChannelStatus.State.CONNECTED, channels.get("telegram").orElseThrow().status().state());
        assertEquals("@" + FakeTelegram.BOT_USERNAME, telegram.status().detail());
        JsonNode poll = tg.calls("getUpdates").get(0).params();
        assertEquals(2, poll.path("timeout").asInt());
        assertEquals("[\"message\",\"edited_message\",\"callback_query\"]", poll.path("allowed_updates").toString());
    }

    @Test
    void aDirectMessageReachesTheAgentAndItsReplyReachesTheChat() throws Exception {
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        ObjectNode m = tg.message(uid, "private", tg.user(uid, "Ada", "Lovelace", "ada"), "hello bot");
        tg.push("message", m);

        String[] row = f.awaitRows(w, null, 1).get(0);
        assertEquals(m.path("message_id").asText() + ":" + w.ag().id(), row[0]);
        JsonNode content = f.json(row[1]);
        assertEquals("hello bot", content.path("text").asText());
        assertEquals("Ada Lovelace", content.path("sender").asText());
        assertEquals("telegram:" + uid, content.path("senderId").asText());
        assertFalse(content.has("attachments"));
        assertEquals(String.valueOf(uid), row[2]);
        assertEquals("telegram", row[3]);
        assertNull(row[4]);

        Session s = f.awaitSession(w, null);
        String out = f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(uid), null, "chat",
                "{\"text\":\"Hi Ada!\"}");
        f.delivery.drain(s);
        List<FakeTelegram.Request> sent = f.awaitSent("sendMessage", uid, 1);
        assertEquals("Hi Ada!", sent.get(0).param("text"));
        assertNull(sent.get(0).param("message_thread_id"));
        assertNull(sent.get(0).param("parse_mode"), "plain text: no markup to break");
        String platformId = sent.get(0).result().path("message_id").asText();
        assertEquals(platformId, f.awaitDelivered(w, s, out));
        TelegramFixture.sleep(300);
        assertEquals(1, tg.sent("sendMessage", uid).size(), "sent once");
    }

    @Test
    void inAGroupOnlyMessagesThatAddressTheBotReachAMentionWiredAgent() {
        long gid = TelegramFixture.newGroupId();
        Wired w = f.wire(gid, true, "mention", null);
        long uid = TelegramFixture.newUserId();
        ObjectNode from = tg.user(uid, "Bob", null, "bob");
        tg.push("message", tg.message(gid, "supergroup", from, "just chatting"));
        ObjectNode other = tg.message(gid, "supergroup", from, "@someone_else_bot hi");
        other.putArray("entities").addObject().put("type", "mention").put("offset", 0).put("length", 17);
        tg.push("message", other);
        String text = "hey @Nano_Test_Bot what's up";
        ObjectNode mention = tg.message(gid, "supergroup", from, text);
        mention.putArray("entities").addObject().put("type", "mention").put("offset", 4).put("length", 14);
        tg.push("message", mention);
        ObjectNode command = tg.message(gid, "supergroup", from, "/status@nano_test_bot");
        command.putArray("entities").addObject().put("type", "bot_command").put("offset", 0).put("length", 21);
        tg.push("message", command);
        ObjectNode reply = tg.message(gid, "supergroup", from, "thanks");
        ObjectNode original = tg.message(gid, "supergroup", tg.botUser(), "an earlier answer");
        reply.set("reply_to_message", original);
        tg.push("message", reply);

        List<String[]> rows = f.awaitRows(w, null, 3);
        TelegramFixture.sleep(300);
        rows = f.chatRows(w, null);
        assertEquals(3, rows.size(), "the plain message and the other bot's mention are not routed");
        assertEquals(text, f.json(rows.get(0)[1]).path("text").asText());
        assertEquals("/status@nano_test_bot", f.json(rows.get(1)[1]).path("text").asText());
        JsonNode replyTo = f.json(rows.get(2)[1]).path("replyTo");
        assertEquals(original.path("message_id").asText(), replyTo.path("id").asText());
        assertEquals("an earlier answer", replyTo.path("text").asText());
        assertEquals("Nano", replyTo.path("sender").asText());
    }

    @Test
    void aForumTopicIsAThreadBothWays() throws Exception {
        long gid = TelegramFixture.newGroupId();
        Wired w = f.wireAll(gid, true);
        long uid = TelegramFixture.newUserId();
        ObjectNode m = tg.message(gid, "supergroup", tg.user(uid, "Cy", null, null), "in the topic");
        m.put("message_thread_id", 77).put("is_topic_message", true);
        ObjectNode root = tg.message(gid, "supergroup", tg.user(uid, "Cy", null, null), null);
        root.put("message_id", 77).putObject("forum_topic_created").put("name", "Plans");
        m.set("reply_to_message", root);
        tg.push("message", m);

        String[] row = f.awaitRows(w, "77", 1).get(0);
        assertEquals("77", row[4]);
        assertFalse(f.json(row[1]).has("replyTo"), "the topic's root is not a reply");
        Session s = f.awaitSession(w, "77");
        assertEquals("77", s.threadId());
        f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(gid), "77", "chat",
                "{\"text\":\"answer in topic\"}");
        f.delivery.drain(s);
        FakeTelegram.Request sent = f.awaitSent("sendMessage", gid, 1).get(0);
        assertEquals("77", sent.param("message_thread_id"));
        assertEquals("answer in topic", sent.param("text"));
    }

    @Test
    void anEditAndAReactionFromTheAgentUseTheRightTelegramIds() throws Exception {
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        ObjectNode m = tg.message(uid, "private", tg.user(uid, "Di", null, null), "react to this");
        tg.push("message", m);
        String inboundRowId = f.awaitRows(w, null, 1).get(0)[0];
        Session s = f.awaitSession(w, null);

        String out = f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(uid), null, "chat",
                "{\"text\":\"frist\"}");
        f.delivery.drain(s);
        String sentId = f.awaitSent("sendMessage", uid, 1).get(0).result().path("message_id").asText();
        f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(uid), null, "chat",
                "{\"operation\":\"edit\",\"messageId\":\"" + out + "\",\"text\":\"first\"}");
        f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(uid), null, "chat",
                "{\"operation\":\"reaction\",\"messageId\":\"" + inboundRowId + "\",\"emoji\":\"👍\"}");
        f.delivery.drain(s);

        FakeTelegram.Request edit = f.awaitSent("editMessageText", uid, 1).get(0);
        assertEquals(sentId, edit.param("message_id"));
        assertEquals("first", edit.param("text"));
        FakeTelegram.Request reaction = f.awaitSent("setMessageReaction", uid, 1).get(0);
        assertEquals(m.path("message_id").asText(), reaction.param("message_id"));
        assertEquals("[{\"type\":\"emoji\",\"emoji\":\"👍\"}]", reaction.params().path("reaction").toString());
    }

    @Test
    void aUsersEditArrivesAsANewMarkedMessage() {
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        ObjectNode m = tg.message(uid, "private", tg.user(uid, "Eve", null, null), "meet at 5");
        tg.push("message", m);
        f.awaitRows(w, null, 1);
        ObjectNode edited = m.deepCopy().put("text", "meet at 6").put("edit_date", 1_800_000_000L);
        tg.push("edited_message", edited);

        List<String[]> rows = f.awaitRows(w, null, 2);
        assertEquals(m.path("message_id").asText() + ".e1800000000:" + w.ag().id(), rows.get(1)[0]);
        JsonNode c = f.json(rows.get(1)[1]);
        assertEquals("(edited) meet at 6", c.path("text").asText());
        assertTrue(c.path("edited").asBoolean());
    }

    @Test
    void aChatThatBlockedTheBotOrIsGoneIsUndeliverableNotRetried() {
        long blocked = TelegramFixture.newUserId();
        long gone = TelegramFixture.newGroupId();
        tg.block(blocked);
        tg.forget(gone);
        OutboundMessage hi = new OutboundMessage(null, "chat", f.mapper.createObjectNode().put("text", "hi"),
                List.of());
        UndeliverableException e = assertThrows(UndeliverableException.class,
                () -> telegram.deliver(String.valueOf(blocked), null, hi));
        assertEquals("Telegram refused it: Forbidden: bot was blocked by the user", e.getMessage());
        e = assertThrows(UndeliverableException.class, () -> telegram.deliver(String.valueOf(gone), null, hi));
        assertEquals("Telegram refused it: Bad Request: chat not found", e.getMessage());
    }

    @Test
    void aReactionToAnEditedMessageTargetsTheMessageItself() throws Exception {
        long uid = TelegramFixture.newUserId();
        telegram.deliver(String.valueOf(uid), null, new OutboundMessage(null, "chat", f.mapper.createObjectNode()
                .put("operation", "reaction").put("messageId", "321.e1800000000").put("emoji", "🔥"), List.of()));
        assertEquals("321", f.awaitSent("setMessageReaction", uid, 1).get(0).param("message_id"));
    }

    @Test
    void typingShowsInTheChat() {
        long uid = TelegramFixture.newUserId();
        awaitTrue("connected", () -> telegram.isConnected());
        telegram.setTyping(String.valueOf(uid), null);
        assertEquals("typing", f.awaitSent("sendChatAction", uid, 1).get(0).param("action"));
    }
}
