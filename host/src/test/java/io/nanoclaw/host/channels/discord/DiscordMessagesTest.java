package io.nanoclaw.host.channels.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.entities.Session;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Discord adapter end to end against {@link FakeDiscord}: gateway events through the router into a session's
 * inbound.db, and the container's outbound rows through delivery back to Discord's REST API.
 */
@QuarkusTest
@TestProfile(DiscordProfile.class)
class DiscordMessagesTest extends DiscordTestBase {
    static final String QUESTION = "{\"type\":\"ask_question\",\"questionId\":\"%s\",\"title\":\"Pick\","
            + "\"question\":\"Which colour?\",\"options\":[{\"label\":\"Red\",\"selectedLabel\":\"Red it is\","
            + "\"value\":\"red\"},{\"label\":\"Blue\",\"selectedLabel\":\"Blue it is\",\"value\":\"blue\"}]}";

    @BeforeEach
    void connected() {
        awaitConnected();
    }

    @Test
    void aMentionInAGuildChannelReachesTheAgentWithoutOneNothingDoesAndTheReplyGoesBack() throws Exception {
        Chat c = chat(true, "mention");
        String cid = c.mg().platformId();
        fake().dispatch("MESSAGE_CREATE", userMessage(cid, ALICE, "alice", "just chatting"));
        fake().dispatch("MESSAGE_CREATE", fake().message(fake().nextId(), cid, GUILD, "830000000000000009",
                "otherbot", true, "<@" + FakeDiscord.BOT_ID + "> beep"));
        ObjectNode m = mentioning(userMessage(cid, ALICE, "alice", "<@" + FakeDiscord.BOT_ID + "> what's up?"));
        fake().dispatch("MESSAGE_CREATE", m);

        List<Row> rows = awaitRows(c, null, 1);
        assertEquals(1, rows.size(), "only the mention reached the agent: " + rows);
        Row r = rows.get(0);
        assertEquals(m.path("id").asText() + ":" + c.ag().id(), r.id());
        assertEquals("@NanoBot what's up?", r.content().path("text").asText());
        assertEquals("Alice", r.content().path("sender").asText());
        assertEquals("discord:" + ALICE, r.content().path("senderId").asText());

        // a reply to one of the bot's messages counts as a mention too
        ObjectNode reply = userMessage(cid, BOB, "bob", "and to you");
        reply.put("type", 19);
        reply.putObject("message_reference").put("message_id", "940000000000000001").put("channel_id", cid);
        reply.set("referenced_message", fake().message("940000000000000001", cid, GUILD, FakeDiscord.BOT_ID,
                FakeDiscord.BOT_NAME, true, "hello all"));
        fake().dispatch("MESSAGE_CREATE", reply);
        rows = awaitRows(c, null, 2);
        JsonNode replyTo = rows.get(1).content().path("replyTo");
        assertEquals("940000000000000001", replyTo.path("id").asText());
        assertEquals("hello all", replyTo.path("text").asText());
        assertEquals(FakeDiscord.BOT_NAME, replyTo.path("sender").asText());

        Session s = session(c, null);
        reply(c, s, null, "{\"text\":\"Hi Alice! @everyone\"}");
        List<FakeDiscord.Req> posts = fake().requests("POST", "/channels/" + cid + "/messages");
        assertEquals(1, posts.size());
        JsonNode body = posts.get(0).json();
        assertEquals("Hi Alice! @everyone", body.path("content").asText());
        assertEquals("[\"users\"]", body.path("allowed_mentions").path("parse").toString(),
                "an agent can't ping @everyone");
        assertEquals("Bot " + FakeDiscord.TOKEN, posts.get(0).headers().get("authorization"));
    }

    @Test
    void aDirectMessageIsAMentionInAChatOfItsOwn() throws Exception {
        Chat c = chat(false, "mention");
        String dm = c.mg().platformId();
        ObjectNode m = fake().message(fake().nextId(), dm, null, ALICE, "alice", false, "hello in private");
        fake().dispatch("MESSAGE_CREATE", m);
        Row r = awaitRows(c, null, 1).get(0);
        assertEquals("hello in private", r.content().path("text").asText());
        assertEquals(null, r.threadId());
        reply(c, session(c, null), null, "{\"text\":\"hello back\"}");
        assertEquals("hello back", fake().requests("POST", "/channels/" + dm + "/messages").get(0).json()
                .path("content").asText());
    }

    @Test
    void aThreadIsItsParentChannelWithTheThreadAsThreadIdAndRepliesGoToTheThread() throws Exception {
        Chat c = chat(true, "pattern");
        String parent = c.mg().platformId();
        String thread = fake().nextId();
        fake().channels.put(thread, fake().channel(thread, 11, GUILD, parent, "plans"));
        fake().dispatch("MESSAGE_CREATE", userMessage(thread, ALICE, "alice", "in the thread"));
        Row r = awaitRows(c, thread, 1).get(0);
        assertEquals(thread, r.threadId());
        assertEquals(1, fake().requests("GET", "/channels/" + thread).size(), "the parent was looked up once");

        Session s = session(c, thread);
        reply(c, s, thread, "{\"text\":\"answer in thread\"}");
        assertEquals("answer in thread", fake().requests("POST", "/channels/" + thread + "/messages").get(0)
                .json().path("content").asText());
        assertTrue(fake().requests("POST", "/channels/" + parent + "/messages").isEmpty());

        // a thread announced by THREAD_CREATE needs no lookup
        String thread2 = fake().nextId();
        fake().dispatch("THREAD_CREATE", fake().channel(thread2, 11, GUILD, parent, "more plans"));
        fake().dispatch("MESSAGE_CREATE", userMessage(thread2, BOB, "bob", "second thread"));
        assertEquals(thread2, awaitRows(c, thread2, 1).get(0).threadId());
        assertTrue(fake().requests("GET", "/channels/" + thread2).isEmpty());
        // a second message in the first thread: cached, no second lookup
        fake().dispatch("MESSAGE_CREATE", userMessage(thread, ALICE, "alice", "again"));
        awaitRows(c, thread, 2);
        assertEquals(1, fake().requests("GET", "/channels/" + thread).size());
    }

    @Test
    void aButtonClickAnswersTheQuestionAndAForgedOneIsOnlyAcknowledged() throws Exception {
        Chat c = chat(true, "pattern");
        String cid = c.mg().platformId();
        fake().dispatch("MESSAGE_CREATE", userMessage(cid, ALICE, "alice", "ask me"));
        Session s = session(c, null);
        awaitRows(c, null, 1);
        quiet(s);
        fx.containerWrites(c.ag().id(), s.id(), "discord", cid, null, "chat-sdk", String.format(QUESTION, "q-dc-1"));
        delivery.drain(s);

        FakeDiscord.Req post = fake().requests("POST", "/channels/" + cid + "/messages").get(0);
        JsonNode rows = post.json().path("components");
        assertEquals(1, rows.size());
        assertEquals(1, rows.get(0).path("type").asInt(), "an action row");
        List<String> ids = new ArrayList<>();
        rows.get(0).path("components").forEach(b -> {
            assertEquals(2, b.path("type").asInt(), "a button");
            ids.add(b.path("custom_id").asText());
        });
        assertEquals(List.of("ncq:q-dc-1:0", "ncq:q-dc-1:1"), ids);
        assertEquals("Red", rows.get(0).path("components").get(0).path("label").asText());
        String card = fake().messages.values().stream().filter(m -> m.path("channel_id").asText().equals(cid))
                .findFirst().orElseThrow().path("id").asText();

        // a click on "Blue", as Discord sends it for a guild member
        String iid = fake().nextId();
        fake().dispatch("INTERACTION_CREATE", interaction(iid, cid, card, ids.get(1), BOB));
        await("the question is answered", () -> !systemRows(c, s).isEmpty(), Duration.ofSeconds(10));
        JsonNode answer = systemRows(c, s).get(0);
        assertEquals("question_response", answer.path("type").asText());
        assertEquals("blue", answer.path("selectedOption").asText());
        assertEquals("discord:" + BOB, answer.path("userId").asText());
        List<FakeDiscord.Req> callbacks = fake().requests("POST", "/interactions/" + iid + "/");
        assertEquals(1, callbacks.size());
        assertEquals(6, callbacks.get(0).json().path("type").asInt(), "DEFERRED_UPDATE_MESSAGE");
        assertEquals(null, callbacks.get(0).headers().get("authorization"), "no bot token on callbacks");
        await("the card is edited", () -> !fake().requests("PATCH", "/channels/" + cid + "/messages/" + card)
                .isEmpty(), Duration.ofSeconds(10));
        JsonNode edit = fake().requests("PATCH", "/channels/" + cid + "/messages/" + card).get(0).json();
        assertEquals("Pick\n\nBlue it is", edit.path("content").asText());
        assertEquals(0, edit.path("components").size(), "the answered card loses its buttons");

        // a custom_id the host never issued: acknowledged so the client stops spinning, nothing else happens
        String forged = fake().nextId();
        fake().dispatch("INTERACTION_CREATE", interaction(forged, cid, card, "ncq:never-issued:0", ALICE));
        await("the forged click is acknowledged", () -> !fake().requests("POST", "/interactions/" + forged + "/")
                .isEmpty(), Duration.ofSeconds(10));
        Thread.sleep(300);
        assertEquals(1, systemRows(c, s).size());
        assertEquals(1, fake().requests("PATCH", "/channels/" + cid + "/messages/").size());
    }

    private ObjectNode interaction(String id, String channelId, String messageId, String customId, String userId) {
        ObjectNode i = mapper.createObjectNode().put("id", id).put("application_id", FakeDiscord.BOT_ID)
                .put("type", 3).put("token", "aW50ZXJhY3Rpb246" + id).put("version", 1).put("guild_id", GUILD)
                .put("channel_id", channelId).put("locale", "en-US");
        i.putObject("data").put("custom_id", customId).put("component_type", 2);
        i.set("channel", fake().channel(channelId, 0, GUILD, null, "general"));
        ObjectNode member = i.putObject("member");
        member.set("user", fake().user(userId, "bob", false));
        member.putNull("nick");
        i.set("message", fake().message(messageId, channelId, GUILD, FakeDiscord.BOT_ID, FakeDiscord.BOT_NAME,
                true, "Pick"));
        return i;
    }

    private List<JsonNode> systemRows(Chat c, Session s) {
        try {
            return fx.inboundRows(c.ag().id(), s.id(), "SELECT content FROM messages_in WHERE kind = 'system' "
                    + "ORDER BY seq").stream().map(r -> {
                        try {
                            return mapper.readTree(r[0]);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void editsAndReactionsGoBothWays() throws Exception {
        Chat c = chat(true, "pattern");
        String cid = c.mg().platformId();
        ObjectNode m = userMessage(cid, ALICE, "alice", "teh plan");
        String mid = m.path("id").asText();
        fake().dispatch("MESSAGE_CREATE", m);
        awaitRows(c, null, 1);

        // the user edits: a new message marked edited; an embed unfurl (no edited_timestamp) is not an edit
        ObjectNode unfurl = m.deepCopy();
        unfurl.withArray("embeds").addObject().put("type", "link");
        fake().dispatch("MESSAGE_UPDATE", unfurl);
        ObjectNode edited = m.deepCopy().put("content", "the plan").put("edited_timestamp",
                "2026-03-01T10:05:00.000000+00:00");
        fake().dispatch("MESSAGE_UPDATE", edited);
        List<Row> rows = awaitRows(c, null, 2);
        Thread.sleep(200);
        assertEquals(2, rows(c, session(c, null)).size());
        Row e = rows.get(1);
        assertEquals("(edited) the plan", e.content().path("text").asText());
        assertTrue(e.content().path("edited").asBoolean());
        assertEquals(mid + ".e1772359500000:" + c.ag().id(), e.id());

        Session s = session(c, null);
        // the agent reacts to the edited message: Discord gets the original id
        reply(c, s, null, "{\"operation\":\"reaction\",\"messageId\":\"" + e.id() + "\",\"emoji\":\"👍\"}");
        assertEquals(1, fake().requests("PUT", "/channels/" + cid + "/messages/" + mid + "/reactions/").size());
        assertTrue(fake().requests.stream().anyMatch(r -> r.path().equals("/channels/" + cid + "/messages/" + mid
                + "/reactions/%F0%9F%91%8D/@me") && r.status() == 204), "URL-encoded emoji on @me");

        // the agent edits its own message
        String out = reply(c, s, null, "{\"text\":\"draft\"}");
        String sent = fake().requests("POST", "/channels/" + cid + "/messages").get(0).path();
        assertNotNull(sent);
        String platformId = fake().messages.values().stream().filter(x -> x.path("channel_id").asText().equals(cid))
                .findFirst().orElseThrow().path("id").asText();
        reply(c, s, null, "{\"operation\":\"edit\",\"messageId\":\"" + out + "\",\"text\":\"final\"}");
        List<FakeDiscord.Req> patches = fake().requests("PATCH", "/channels/" + cid + "/messages/" + platformId);
        assertEquals(1, patches.size());
        assertEquals("final", patches.get(0).json().path("content").asText());
        assertEquals("final", fake().messages.get(platformId).path("content").asText());
    }

    @Test
    void filesGoBothWaysAndAnOversizedOneIsRefusedWithANote() throws Exception {
        Chat c = chat(true, "pattern");
        String cid = c.mg().platformId();
        ObjectNode m = userMessage(cid, ALICE, "alice", "see attached");
        fake().cdn.put("a1/notes.txt", "remember the milk".getBytes(StandardCharsets.UTF_8));
        m.withArray("attachments").addObject().put("id", fake().nextId()).put("filename", "notes.txt")
                .put("size", 17).put("url", fake().cdnUrl("a1/notes.txt")).put("content_type", "text/plain");
        m.withArray("attachments").addObject().put("id", fake().nextId()).put("filename", "huge.mov")
                .put("size", 26L << 20).put("url", fake().cdnUrl("a1/huge.mov")).put("content_type", "video/mp4");
        fake().dispatch("MESSAGE_CREATE", m);
        Row r = awaitRows(c, null, 1).get(0);
        Session s = session(c, null);
        JsonNode atts = r.content().path("attachments");
        assertEquals(2, atts.size());
        Path sessionDir = folders.sessionDir(c.ag().id(), s.id());
        assertEquals("remember the milk", Files.readString(sessionDir.resolve(atts.get(0).path("localPath")
                .asText())));
        assertEquals("The file was not saved: too large", atts.get(1).path("note").asText());
        assertFalse(atts.get(1).has("data"));
        assertTrue(fake().requests("GET", "/cdn/attachments/a1/huge.mov").isEmpty(), "never downloaded");

        // the agent sends a file with its text: one multipart upload
        quiet(s);
        String rowId = fx.containerWrites(c.ag().id(), s.id(), "discord", cid, null, "chat",
                "{\"text\":\"here is the report\",\"files\":[\"report.txt\"]}");
        Path outbox = sessionDir.resolve("outbox").resolve(rowId);
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("report.txt"), "all good");
        delivery.drain(s);
        FakeDiscord.Req up = fake().requests("POST", "/channels/" + cid + "/messages").get(0);
        assertEquals(200, up.status());
        JsonNode payload = up.json();
        assertEquals("here is the report", payload.path("content").asText());
        assertEquals("report.txt", payload.path("attachments").get(0).path("filename").asText());
        assertEquals(1, up.parts().size());
        assertEquals("files[0]", up.parts().get(0).name());
        assertEquals("report.txt", up.parts().get(0).filename());
        assertEquals("all good", new String(up.parts().get(0).data(), StandardCharsets.UTF_8));
    }

    @Test
    void typingAndTheChannelNameUseTheRestApi() throws Exception {
        String cid = fake().nextId();
        fake().channels.put(cid, fake().channel(cid, 0, GUILD, null, "random"));
        assertEquals("#random", adapter.resolveChannelName(cid).orElseThrow());
        adapter.setTyping(cid, null);
        assertEquals(204, fake().requests("POST", "/channels/" + cid + "/typing").get(0).status());
        assertEquals("77" + ALICE.substring(2), adapter.openDm(ALICE).orElseThrow());
    }
}
