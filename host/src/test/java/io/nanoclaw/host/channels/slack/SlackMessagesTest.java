package io.nanoclaw.host.channels.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionFolders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages both ways between the fake Slack and a session, through the real adapter, router and delivery. */
@QuarkusTest
@TestProfile(HostWithFakeSlack.class)
class SlackMessagesTest extends SlackTestBase {
    @Inject
    SessionFolders folders;

    @Test
    void aMentionInAChannelReachesTheAgentAnUnmentionedOneDoesNotAndTheReplyGoesBack() throws Exception {
        Chat c = chat(true, "mention");
        fake.sendMessage(c.channel(), "channel", "U100", "just chatting among ourselves", null);
        String ts = fake.sendMessage(c.channel(), "channel", "U100",
                "<@" + FakeSlack.BOT_ID + "> what's on &amp; when? see <https://example.org|the plan>", null);
        Session s = session(c, null);
        List<String[]> rows = awaitRows(c, s, 1);
        sleep(300);
        rows = rows(c, s);
        assertEquals(1, rows.size(), "only the mention reaches the agent");
        assertEquals(ts + ":" + c.ag().id(), rows.get(0)[0]);
        JsonNode content = json(rows.get(0)[1]);
        assertEquals("@andy what's on & when? see the plan (https://example.org)", content.path("text").asText());
        assertEquals("Alice", content.path("sender").asText());
        assertEquals("slack:U100", content.path("senderId").asText());
        assertEquals("Alice", fx.db.one("SELECT display_name FROM users WHERE id = 'slack:U100'", r -> r.getString(1))
                .orElse(null));

        fx.containerWrites(c.ag().id(), s.id(), "slack", c.channel(), null, "chat",
                "{\"text\":\"**Noon** at <the office> & [map](https://maps.example/x)\"}");
        drainUntil(s, "the reply", () -> posted(c.channel(), "*Noon*"));
        FakeSlack.Call post = last("chat.postMessage");
        assertEquals(FakeSlack.BOT_TOKEN, post.token());
        assertTrue(post.contentType().startsWith("application/json; charset=utf-8"), post.contentType());
        assertEquals(c.channel(), post.args().path("channel").asText());
        assertEquals("*Noon* at &lt;the office&gt; &amp; <https://maps.example/x|map>",
                post.args().path("text").asText());
        assertFalse(post.args().has("thread_ts"));
    }

    @Test
    void aMessageAndItsAppMentionAreRoutedOnceAndAReplyInTheBotsThreadIsAMention() throws Exception {
        Chat c = chat(true, "mention");
        // the app gets both message.channels and app_mention for one message: one row
        ObjectNode msg = fake.messageEvent(c.channel(), "channel", "U100", "<@" + FakeSlack.BOT_ID + "> twice?", null);
        ObjectNode mention = msg.deepCopy().put("type", "app_mention");
        mention.remove("channel_type");
        fake.sendEvent(mention);
        fake.sendEvent(msg);
        // an app subscribed to app_mention only: the mention alone is enough
        ObjectNode only = fake.messageEvent(c.channel(), "channel", "U200", "<@" + FakeSlack.BOT_ID + "> once", null)
                .put("type", "app_mention");
        only.remove("channel_type");
        fake.sendEvent(only);
        Session s = session(c, null);
        awaitRows(c, s, 2);
        sleep(300);
        List<String[]> rows = rows(c, s);
        assertEquals(2, rows.size(), Arrays.deepToString(rows.toArray()));
        // Slack promises no order between events; what matters is each message once
        assertEquals(java.util.Set.of(msg.path("ts").asText() + ":" + c.ag().id(),
                only.path("ts").asText() + ":" + c.ag().id()), java.util.Set.of(rows.get(0)[0], rows.get(1)[0]));

        // no @-mention, but a reply in a thread the bot started: addressed to the bot
        String botTs = fake.nextTs();
        ObjectNode reply = fake.messageEvent(c.channel(), "channel", "U100", "thanks, and one more thing", botTs)
                .put("parent_user_id", FakeSlack.BOT_ID);
        fake.sendEvent(reply);
        List<String[]> inThread = awaitRows(c, session(c, botTs), 1);
        assertEquals(reply.path("ts").asText() + ":" + c.ag().id(), inThread.get(0)[0]);
    }

    @Test
    void anUnmentionedMessageInAnUnknownChannelWritesNothing() {
        Chat known = chat(true, "pattern");
        String unknown = "C-unknown-" + System.nanoTime();
        fake.sendMessage(unknown, "channel", "U100", "hello all", null);
        fake.sendMessage(known.channel(), "channel", "U100", "sync", null);
        awaitRows(known, session(known, null), 1);
        assertTrue(fx.db.one("SELECT 1 FROM messaging_groups WHERE platform_id = ?", r -> 1, unknown).isEmpty());
    }

    @Test
    void aDirectMessageIsAMentionOutsideAnyGroup() throws Exception {
        Chat dm = chat(false, "mention");
        String ts = fake.sendMessage(dm.channel(), "im", "U200", "hi there", null);
        Session s = session(dm, null);
        List<String[]> rows = awaitRows(dm, s, 1);
        assertEquals(ts + ":" + dm.ag().id(), rows.get(0)[0]);
        assertEquals("Bob", json(rows.get(0)[1]).path("sender").asText());

        // a DM from an unknown chat creates it as a direct chat (and asks an approver to connect it)
        String unknownDm = "D-new-" + System.nanoTime();
        fake.sendMessage(unknownDm, "im", "U200", "anyone?", null);
        int isGroup = await("the new DM chat", () -> fx.db.one(
                "SELECT is_group FROM messaging_groups WHERE platform_id = ?", r -> r.getInt(1), unknownDm), LONG);
        assertEquals(0, isGroup);
    }

    @Test
    void aThreadReplyHasItsOwnSessionAndTheAnswerGoesInTheThread() throws Exception {
        Chat c = chat(true, "pattern");
        String top = fake.sendMessage(c.channel(), "channel", "U100", "starting a topic", null);
        String reply = fake.sendMessage(c.channel(), "channel", "U200", "a reply in the thread", top);
        Session threaded = session(c, top);
        List<String[]> rows = awaitRows(c, threaded, 1);
        assertEquals(reply + ":" + c.ag().id(), rows.get(0)[0]);
        assertEquals(top, rows.get(0)[2]);
        assertEquals(top, json(rows.get(0)[1]).path("replyTo").path("id").asText());

        fx.containerWrites(c.ag().id(), threaded.id(), "slack", c.channel(), top, "chat", "{\"text\":\"in thread\"}");
        drainUntil(threaded, "the reply in the thread", () -> posted(c.channel(), "in thread"));
        FakeSlack.Call post = last("chat.postMessage");
        assertEquals("in thread", post.args().path("text").asText());
        assertEquals(top, post.args().path("thread_ts").asText());
    }

    @Test
    void anEditArrivesAsANewMessageAndMetadataChangesDoNot() throws Exception {
        Chat c = chat(true, "pattern");
        ObjectNode original = fake.messageEvent(c.channel(), "channel", "U100", "meet at 5", null);
        fake.sendEvent(original);
        Session s = session(c, null);
        awaitRows(c, s, 1);
        String ts = original.path("ts").asText();
        String editTs = fake.nextTs();

        ObjectNode unfurl = changed(c.channel(), original, "meet at 5", null);
        fake.sendEvent(unfurl);
        ObjectNode edit = changed(c.channel(), original, "meet at 6", editTs);
        fake.sendEvent(edit);
        List<String[]> rows = awaitRows(c, s, 2);
        sleep(300);
        rows = rows(c, s);
        assertEquals(2, rows.size(), "the unfurl is not an edit: " + Arrays.deepToString(rows.toArray()));
        assertEquals(ts + ".e" + editTs + ":" + c.ag().id(), rows.get(1)[0]);
        JsonNode content = json(rows.get(1)[1]);
        assertEquals("(edited) meet at 6", content.path("text").asText());
        assertTrue(content.path("edited").asBoolean());

        // the agent reacts to the edited message: Slack gets the original ts
        fx.containerWrites(c.ag().id(), s.id(), "slack", c.channel(), null, "chat",
                "{\"operation\":\"reaction\",\"messageId\":\"" + rows.get(1)[0] + "\",\"emoji\":\"👍\"}");
        drainUntil(s, "the reaction", () -> !fake.answered("reactions.add").isEmpty()
                && last("reactions.add").args().path("channel").asText().equals(c.channel()));
        FakeSlack.Call react = last("reactions.add");
        assertEquals("+1", react.args().path("name").asText());
        assertEquals(ts, react.args().path("timestamp").asText());
        assertEquals(c.channel(), react.args().path("channel").asText());
    }

    private ObjectNode changed(String channel, ObjectNode original, String text, String editTs) {
        ObjectNode e = mapper.createObjectNode().put("type", "message").put("subtype", "message_changed")
                .put("channel", channel).put("hidden", true).put("channel_type", "channel");
        String now = fake.nextTs();
        e.put("ts", now).put("event_ts", now);
        ObjectNode m = original.deepCopy();
        m.remove("channel");
        m.remove("event_ts");
        m.put("text", text);
        if (editTs != null) {
            m.putObject("edited").put("user", m.path("user").asText()).put("ts", editTs);
        }
        e.set("message", m);
        ObjectNode prev = original.deepCopy();
        prev.remove("channel");
        e.set("previous_message", prev);
        return e;
    }

    @Test
    void theAgentsOwnMessageIsEditedAndReactedTo() throws Exception {
        Chat c = chat(true, "pattern");
        fake.sendMessage(c.channel(), "channel", "U100", "hello", null);
        Session s = session(c, null);
        awaitRows(c, s, 1);
        String rowId = fx.containerWrites(c.ag().id(), s.id(), "slack", c.channel(), null, "chat",
                "{\"text\":\"draft\"}");
        drainUntil(s, "the draft", () -> posted(c.channel(), "draft"));
        String ts = fake.messages.values().stream().filter(m -> m.path("text").asText().equals("draft")
                && m.path("channel").asText().equals(c.channel())).findFirst().orElseThrow().path("ts").asText();
        fx.containerWrites(c.ag().id(), s.id(), "slack", c.channel(), null, "chat",
                "{\"operation\":\"edit\",\"messageId\":\"" + rowId + "\",\"text\":\"final\"}");
        fx.containerWrites(c.ag().id(), s.id(), "slack", c.channel(), null, "chat",
                "{\"operation\":\"reaction\",\"messageId\":\"" + rowId + "\",\"emoji\":\":white_check_mark:\"}");
        drainUntil(s, "the edit and the reaction", () -> fake.messages.get(ts).path("text").asText().equals("final")
                && fake.answered("reactions.add").stream().anyMatch(r -> r.args().path("timestamp").asText()
                        .equals(ts)));
        FakeSlack.Call update = last("chat.update");
        assertEquals(ts, update.args().path("ts").asText());
        assertEquals("final", update.args().path("text").asText());
        assertEquals("final", fake.messages.get(ts).path("text").asText());
        assertEquals("white_check_mark", last("reactions.add").args().path("name").asText());
        assertEquals(ts, last("reactions.add").args().path("timestamp").asText());
    }

    @Test
    void aFileComesInWithTheBotTokenAndATooLargeOneIsNotFetched() throws Exception {
        Chat c = chat(true, "pattern");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        ObjectNode small = fake.privateFile("chart.png", "image/png", png, png.length);
        ObjectNode huge = fake.privateFile("movie.mp4", "video/mp4", new byte[] {1, 2, 3}, 30L << 20);
        ObjectNode e = fake.messageEvent(c.channel(), "channel", "U100", "two files", null);
        e.put("subtype", "file_share");
        e.putArray("files").add(small).add(huge);
        fake.sendEvent(e);
        Session s = session(c, null);
        List<String[]> rows = awaitRows(c, s, 1);
        JsonNode atts = json(rows.get(0)[1]).path("attachments");
        assertEquals(2, atts.size());
        assertEquals("chart.png", atts.get(0).path("name").asText());
        assertFalse(atts.get(0).has("data"), "the host saved the data as a file");
        Path saved = folders.sessionDir(c.ag().id(), s.id()).resolve(atts.get(0).path("localPath").asText());
        assertTrue(Arrays.equals(png, Files.readAllBytes(saved)));
        assertEquals("The file was not saved: too large", atts.get(1).path("note").asText());
        assertFalse(atts.get(1).has("data"));
        String smallId = small.path("id").asText();
        assertEquals(List.of(smallId), fake.downloads.stream().filter(d -> d.startsWith(smallId)
                || d.startsWith(huge.path("id").asText())).toList(), "only the small file, with the token");
    }

    @Test
    void aFileGoesOutWithTheTextAsItsComment() throws Exception {
        Chat c = chat(true, "pattern");
        String top = fake.sendMessage(c.channel(), "channel", "U100", "send me the report", null);
        fake.sendMessage(c.channel(), "channel", "U100", "in here", top);
        Session s = session(c, top);
        awaitRows(c, s, 1);
        String rowId = fx.containerWrites(c.ag().id(), s.id(), "slack", c.channel(), top, "chat",
                "{\"text\":\"Here it is\",\"files\":[\"report.txt\"]}");
        Path dir = folders.sessionDir(c.ag().id(), s.id()).resolve("outbox").resolve(rowId);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.txt"), "all good\n");
        drainUntil(s, "the upload", () -> fake.answered("files.completeUploadExternal").stream()
                .anyMatch(k -> k.args().path("channel_id").asText().equals(c.channel())));

        FakeSlack.Call get = last("files.getUploadURLExternal");
        assertTrue(get.contentType().startsWith("application/x-www-form-urlencoded"));
        assertEquals("report.txt", get.args().path("filename").asText());
        assertEquals("9", get.args().path("length").asText());
        FakeSlack.Call done = last("files.completeUploadExternal");
        String fileId = done.args().path("files").path(0).path("id").asText();
        assertEquals("all good\n", new String(fake.uploads.get(fileId)));
        assertEquals(c.channel(), done.args().path("channel_id").asText());
        assertEquals(top, done.args().path("thread_ts").asText());
        assertEquals("Here it is", done.args().path("initial_comment").asText());
        assertNull(fake.calls("chat.postMessage").stream().filter(p -> p.args().path("text").asText()
                .equals("Here it is")).findAny().orElse(null), "the text went with the file");
    }

    @Test
    void channelNamesAndDirectChatsComeFromTheWebApi() throws Exception {
        assertEquals(java.util.Optional.of("#general"), adapter().resolveChannelName("C0GENERAL"));
        assertTrue(last("conversations.info").contentType().startsWith("application/x-www-form-urlencoded"));
        assertEquals(java.util.Optional.of("D100"), adapter().openDm("U100"));
        assertEquals("U100", last("conversations.open").args().path("users").asText());
    }

    boolean posted(String channel, String textStart) {
        return fake.answered("chat.postMessage").stream().anyMatch(p -> p.args().path("channel").asText()
                .equals(channel) && p.args().path("text").asText().startsWith(textStart));
    }

    FakeSlack.Call last(String method) {
        List<FakeSlack.Call> calls = fake.answered(method);
        assertFalse(calls.isEmpty(), "no " + method + " call");
        return calls.get(calls.size() - 1);
    }
}
