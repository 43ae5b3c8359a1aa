package io.nanoclaw.host.channels.telegram;

import static io.nanoclaw.host.channels.telegram.TelegramFixture.await;
import static io.nanoclaw.host.channels.telegram.TelegramFixture.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.telegram.TelegramFixture.Wired;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.RecordingWaker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choice cards as inline keyboards, clicks through callback queries, and files both ways. */
@QuarkusTest
@TestProfile(TelegramProfile.class)
class TelegramCardsAndFilesTest {
    static final String QUESTION = "{\"type\":\"ask_question\",\"questionId\":\"%s\",\"title\":\"Pick\","
            + "\"question\":\"Which colour?\",\"options\":[{\"label\":\"Red\",\"selectedLabel\":\"Red it is\","
            + "\"value\":\"red\"},{\"label\":\"Blue\",\"selectedLabel\":\"Blue it is\",\"value\":\"blue\"}]}";

    @Inject
    TelegramFixture f;
    @Inject
    SessionFolders folders;
    @Inject
    RecordingWaker waker;
    @Inject
    SessionResolver resolver;

    FakeTelegram tg = FakeTelegram.shared();

    /**
     * The chat's session, made as the router makes it but without a wake: the host's fast poller then leaves it
     * alone, so a test can put files into the outbox before the row is delivered.
     */
    private Session started(Wired w, long uid) {
        return resolver.resolve(w.ag().id(), w.mg().id(), null, "shared");
    }

    private List<JsonNode> responses(Wired w, Session s) throws Exception {
        return f.fx.inboundRows(w.ag().id(), s.id(), "SELECT content FROM messages_in WHERE kind = 'system' "
                + "ORDER BY seq").stream().map(r -> f.json(r[0])).toList();
    }

    private boolean pending(String qid) {
        return f.db.one("SELECT 1 FROM pending_questions WHERE question_id = ?", r -> 1, qid).isPresent();
    }

    @Test
    void aQuestionIsAnInlineKeyboardAndAClickAnswersIt() throws Exception {
        long gid = TelegramFixture.newGroupId();
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(gid, true);
        Session s = started(w, uid);
        f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(gid), null, "chat-sdk",
                String.format(QUESTION, "q-tg-1"));
        f.delivery.drain(s);

        FakeTelegram.Request card = f.awaitSent("sendMessage", gid, 1).get(0);
        assertEquals("Pick\n\nWhich colour?", card.param("text"));
        JsonNode keyboard = card.params().path("reply_markup").path("inline_keyboard");
        assertEquals("[[{\"text\":\"Red\",\"callback_data\":\"ncq:q-tg-1:0\"}],"
                + "[{\"text\":\"Blue\",\"callback_data\":\"ncq:q-tg-1:1\"}]]", keyboard.toString());

        waker.woken.clear();
        String cbq = tg.click(tg.user(uid, "Fay", null, null), card.result(), "ncq:q-tg-1:1");
        awaitTrue("the answer", () -> {
            try {
                return !pending("q-tg-1") && !responses(w, s).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        List<JsonNode> rs = responses(w, s);
        assertEquals(1, rs.size());
        assertEquals("question_response", rs.get(0).path("type").asText());
        assertEquals("blue", rs.get(0).path("selectedOption").asText());
        assertEquals("telegram:" + uid, rs.get(0).path("userId").asText());
        assertEquals(List.of(s.id()), waker.woken);
        assertEquals(200, tg.calls("answerCallbackQuery", r -> cbq.equals(r.param("callback_query_id"))).get(0)
                .status(), "the click is acknowledged");
        FakeTelegram.Request edit = await("the card edited", () -> tg.sent("editMessageText", gid).stream()
                .findFirst().orElse(null));
        assertEquals(card.result().path("message_id").asText(), edit.param("message_id"));
        assertEquals("Pick\n\nBlue it is", edit.param("text"));
        assertEquals("[]", edit.params().path("reply_markup").path("inline_keyboard").toString(),
                "the answered card loses its buttons");
    }

    @Test
    void aForgedOrUnknownClickIsAcknowledgedAndChangesNothing() throws Exception {
        long gid = TelegramFixture.newGroupId();
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(gid, true);
        Session s = started(w, uid);
        f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(gid), null, "chat-sdk",
                String.format(QUESTION, "q-tg-2"));
        f.delivery.drain(s);
        JsonNode card = f.awaitSent("sendMessage", gid, 1).get(0).result();

        ObjectNode eve = tg.user(TelegramFixture.newUserId(), "Eve", null, null);
        List<String> ids = List.of(tg.click(eve, card, "ncq:q-nope:0"), tg.click(eve, card, "ncq:q-tg-2:9"),
                tg.click(eve, card, "not a button we made"), tg.click(eve, card, null));
        for (String id : ids) {
            await("answerCallbackQuery " + id, () -> tg.calls("answerCallbackQuery",
                    r -> id.equals(r.param("callback_query_id")) && r.status() == 200).stream().findFirst()
                    .orElse(null));
        }
        TelegramFixture.sleep(200);
        assertTrue(responses(w, s).isEmpty());
        assertTrue(pending("q-tg-2"));
        assertTrue(tg.sent("editMessageText", gid).isEmpty());
    }

    @Test
    void aPhotoIsSavedIntoTheSessionInbox() throws Exception {
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        byte[] small = {1, 2, 3};
        byte[] big = new byte[150_000];
        Arrays.fill(big, (byte) 7);
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        String smallId = tg.addFile("photos/file_s.jpg", small);
        String bigId = tg.addFile("photos/file_b.jpg", big);
        ObjectNode m = tg.message(uid, "private", tg.user(uid, "Gus", null, null), null);
        m.put("caption", "look at this");
        m.putArray("photo").add(f.mapper.createObjectNode().put("file_id", smallId).put("file_unique_id", "a")
                        .put("width", 90).put("height", 60).put("file_size", small.length))
                .add(f.mapper.createObjectNode().put("file_id", bigId).put("file_unique_id", "b")
                        .put("width", 1280).put("height", 960).put("file_size", big.length));
        tg.push("message", m);

        String[] row = f.awaitRows(w, null, 1).get(0);
        JsonNode c = f.json(row[1]);
        assertEquals("look at this", c.path("text").asText());
        JsonNode a = c.path("attachments").get(0);
        assertEquals("image/jpeg", a.path("mimeType").asText());
        assertFalse(a.has("data"), "the host saved it and dropped the base64");
        Session s = f.awaitSession(w, null);
        Path saved = folders.sessionDir(w.ag().id(), s.id()).resolve(a.path("localPath").asText());
        assertArrayEquals(big, Files.readAllBytes(saved), "the largest size was downloaded");
        assertEquals(bigId, tg.calls("getFile", r -> bigId.equals(r.param("file_id"))).get(0).param("file_id"));
        assertTrue(tg.calls("getFile", r -> smallId.equals(r.param("file_id"))).isEmpty());
    }

    @Test
    void filesOverTheBotDownloadLimitAreNotedNotFetched() throws Exception {
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        ObjectNode declared = tg.message(uid, "private", tg.user(uid, "Hal", null, null), null);
        declared.putObject("document").put("file_id", "never-fetched").put("file_unique_id", "x")
                .put("file_name", "movie.mkv").put("mime_type", "video/x-matroska").put("file_size", 30L << 20);
        tg.push("message", declared);
        String undeclaredId = tg.addFile("documents/big.bin", new byte[(20 << 20) + 10]);
        ObjectNode undeclared = tg.message(uid, "private", tg.user(uid, "Hal", null, null), null);
        undeclared.put("caption", "and this");
        undeclared.putObject("document").put("file_id", undeclaredId).put("file_unique_id", "y")
                .put("file_name", "big.bin");
        tg.push("message", undeclared);

        List<String[]> rows = f.awaitRows(w, null, 2);
        for (String[] row : rows) {
            JsonNode a = f.json(row[1]).path("attachments").get(0);
            assertEquals("The file was not saved: too large", a.path("note").asText(), row[1]);
            assertFalse(a.has("data"));
            assertFalse(a.has("localPath"));
        }
        assertEquals("movie.mkv", f.json(rows.get(0)[1]).path("attachments").get(0).path("name").asText());
        assertTrue(tg.calls("getFile", r -> "never-fetched".equals(r.param("file_id"))).isEmpty());
        assertTrue(tg.calls("file", r -> "documents/big.bin".equals(r.param("path"))).isEmpty());
    }

    @Test
    void aFileFromTheAgentIsUploadedWithItsTextAsCaption() throws Exception {
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        Session s = started(w, uid);
        String row = f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(uid), null, "chat",
                "{\"text\":\"here is the report\",\"files\":[\"report.txt\",\"chart.png\"]}");
        Path outbox = folders.sessionDir(w.ag().id(), s.id()).resolve("outbox").resolve(row);
        Files.createDirectories(outbox);
        byte[] report = "line 1\nline 2\n".getBytes();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        Files.write(outbox.resolve("report.txt"), report);
        Files.write(outbox.resolve("chart.png"), png);
        f.delivery.drain(s);

        FakeTelegram.Request doc = f.awaitSent("sendDocument", uid, 1).get(0);
        assertEquals("here is the report", doc.param("caption"));
        assertEquals("report.txt", doc.files().get("document").fileName());
        assertArrayEquals(report, doc.files().get("document").data());
        FakeTelegram.Request photo = f.awaitSent("sendPhoto", uid, 1).get(0);
        assertNull(photo.param("caption"), "the caption goes on the first file only");
        assertArrayEquals(png, photo.files().get("photo").data());
        f.awaitDelivered(w, s, row);
        assertTrue(tg.sent("sendMessage", uid).isEmpty(), "the text went as the caption");
        assertEquals(doc.result().path("message_id").asText(), f.awaitDelivered(w, s, row));
    }

    @Test
    void aTextTooLongForACaptionGoesFirstThenTheFile() throws Exception {
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        Session s = started(w, uid);
        String text = "x".repeat(1500);
        String row = f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(uid), null, "chat",
                "{\"text\":\"" + text + "\",\"files\":[\"a.txt\"]}");
        Path outbox = folders.sessionDir(w.ag().id(), s.id()).resolve("outbox").resolve(row);
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("a.txt"), "a");
        f.delivery.drain(s);
        assertEquals(text, f.awaitSent("sendMessage", uid, 1).get(0).param("text"));
        assertNull(f.awaitSent("sendDocument", uid, 1).get(0).param("caption"));
    }
}
