package io.nanoclaw.host.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inbound attachments into a real session folder (host.md 5.7, #13). The hostile cases run twice: through directory
 * handles (Linux) and through the path fallback.
 */
class InboxWriterTest {
    static final long NOW = 1_700_000_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path tmp;
    Path session;
    Path outside;

    @BeforeEach
    void folders() throws IOException {
        session = Files.createDirectories(tmp.resolve("sessions/ag-1/sess-1"));
        Files.createDirectories(session.resolve("inbox"));
        Files.createDirectories(session.resolve("outbox"));
        outside = Files.createDirectories(tmp.resolve("outside"));
    }

    InboxWriter writer(boolean handles) {
        return new InboxWriter(ContainerOwnership.NONE, CLOCK, InboxWriter.MAX_ATTACHMENT_BYTES,
                InboxWriter.MAX_MESSAGE_BYTES, handles);
    }

    @Test
    void savesEachAttachmentAndReplacesItsDataWithLocalPathLeavingEverythingElseAlone() throws IOException {
        byte[] png = AttachmentNamesTest.png();
        ObjectNode content = (ObjectNode) mapper.readTree("""
                {"text":"look","sender":"Ada","senderId":"tg:1","replyTo":{"id":"9","n":[1,2]},
                 "attachments":[
                   {"name":"a.png","mimeType":"image/png","size":%d,"custom":{"k":true},"data":"%s"},
                   {"filename":"notes.txt","type":"document","data":"%s"},
                   {"name":"remote.jpg","url":"https://example.invalid/r.jpg"}],
                 "after":"kept"}""".formatted(png.length, b64(png), b64("hello\n")));
        ObjectNode expected = content.deepCopy();
        ObjectNode e0 = (ObjectNode) expected.get("attachments").get(0);
        e0.remove("data");
        e0.put("localPath", "inbox/m1/a.png");
        ObjectNode e1 = (ObjectNode) expected.get("attachments").get(1);
        e1.remove("data");
        e1.put("localPath", "inbox/m1/notes.txt");

        InboxWriter.Report r = writer(true).extract(session, "m1", content);

        assertEquals(new InboxWriter.Report(2, 0), r);
        assertEquals(expected, content, "only data → localPath changes; other fields and the url-only item stay");
        assertArrayEquals(png, Files.readAllBytes(session.resolve("inbox/m1/a.png")));
        assertEquals("hello\n", Files.readString(session.resolve("inbox/m1/notes.txt")));
    }

    @Test
    void aSessionFolderReachedThroughASymlinkedInstallHomeStillWorks() throws IOException {
        Path home = Files.createSymbolicLink(tmp.resolve("home-link"), tmp);
        ObjectNode content = message(att("a.txt", null, null, "x"));

        assertEquals(new InboxWriter.Report(1, 0),
                writer(true).extract(home.resolve("sessions/ag-1/sess-1"), "m1", content));
        assertEquals("x", Files.readString(session.resolve("inbox/m1/a.txt")));
    }

    @Test
    void theJsonStringFormRewritesOnlyMessagesWithAttachmentData() throws IOException {
        InboxWriter w = writer(true);
        String plain = "{\"text\":\"hi\"}";
        assertSame(plain, w.extract(session, "m1", plain));
        String notJson = "hi \"attachments\"";
        assertSame(notJson, w.extract(session, "m1", notJson));
        String urlOnly = "{\"attachments\":[{\"name\":\"a\",\"url\":\"u\"}]}";
        assertSame(urlOnly, w.extract(session, "m1", urlOnly));

        String out = w.extract(session, "m2", "{\"text\":\"x\",\"attachments\":[{\"name\":\"f.txt\",\"data\":\""
                + b64("abc") + "\"}]}");
        JsonNode n = mapper.readTree(out);
        assertEquals("x", n.get("text").asText());
        assertEquals("inbox/m2/f.txt", n.get("attachments").get(0).get("localPath").asText());
        assertFalse(n.get("attachments").get(0).has("data"));
        assertEquals("abc", Files.readString(session.resolve("inbox/m2/f.txt")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void unsafeOrMissingNamesAreRenamedFromTheMimeTypeAndStayInsideTheMessageFolder(boolean handles)
            throws IOException {
        ObjectNode content = message(
                att("../../evil.png", "image/png", null, "p1"),
                att("/etc/passwd", "text/plain", null, "p2"),
                att("a/b", null, "document", "%PDF-1.4"),
                att("..", "audio/ogg", null, "p4"),
                att("x\u0000y", "video/mp4", null, "p5"),
                att(null, null, "image", "unknown image bytes"));

        InboxWriter.Report r = writer(handles).extract(session, "m1", content);

        assertEquals(new InboxWriter.Report(6, 0), r);
        List<String> paths = localPaths(content);
        assertEquals(List.of(
                "inbox/m1/attachment-" + NOW + ".png",
                "inbox/m1/attachment-" + NOW + ".txt",
                "inbox/m1/attachment-" + NOW + ".pdf",
                "inbox/m1/attachment-" + NOW + ".ogg",
                "inbox/m1/attachment-" + NOW + ".mp4",
                "inbox/m1/attachment-" + NOW + ".bin"), paths);
        assertEquals("p1", Files.readString(session.resolve(paths.get(0))));
        assertEquals("../../evil.png", content.get("attachments").get(0).get("name").asText(),
                "the original name is kept for the agent to read; only the file name on disk differs");
        assertEquals(List.of(), filesOutside(session.resolve("inbox/m1")));
    }

    @Test
    void twoUnnamedAttachmentsAndTwoWithTheSameNameInOneMessageAreAllKept() throws IOException {
        ObjectNode content = message(att(null, "image/png", null, "1"), att(null, "image/png", null, "2"),
                att("a.png", null, null, "3"), att("a.png", null, null, "4"));

        assertEquals(new InboxWriter.Report(4, 0), writer(true).extract(session, "m1", content));

        assertEquals(List.of("inbox/m1/attachment-" + NOW + ".png", "inbox/m1/attachment-" + NOW + "-2.png",
                "inbox/m1/a.png", "inbox/m1/a-2.png"), localPaths(content));
        assertEquals("4", Files.readString(session.resolve("inbox/m1/a-2.png")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSymlinkedInboxIsRefusedAndNothingIsWrittenThroughIt(boolean handles) throws IOException {
        Files.delete(session.resolve("inbox"));
        Files.createSymbolicLink(session.resolve("inbox"), outside);
        ObjectNode content = message(att("a.png", "image/png", null, "x"), att(null, "image/png", null, "y"));

        InboxWriter.Report r = writer(handles).extract(session, "m1", content);

        assertEquals(new InboxWriter.Report(0, 2), r);
        assertEmpty(outside);
        assertAllRefused(content);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSymlinkedMessageFolderIsRefused(boolean handles) throws IOException {
        Files.createSymbolicLink(session.resolve("inbox/m1"), outside);
        ObjectNode content = message(att("a.png", "image/png", null, "x"));

        assertEquals(new InboxWriter.Report(0, 1), writer(handles).extract(session, "m1", content));

        assertEmpty(outside);
        assertAllRefused(content);
    }

    @Test
    void aMessageFolderThatIsAFileIsRefused() throws IOException {
        Files.writeString(session.resolve("inbox/m1"), "not a folder");
        ObjectNode content = message(att("a.png", "image/png", null, "x"));

        assertEquals(new InboxWriter.Report(0, 1), writer(true).extract(session, "m1", content));
        assertEquals("not a folder", Files.readString(session.resolve("inbox/m1")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anExistingFileIsNeverOverwrittenAndTheOtherAttachmentsAreStillSaved(boolean handles) throws IOException {
        Files.createDirectories(session.resolve("inbox/m1"));
        Files.writeString(session.resolve("inbox/m1/a.png"), "old");
        ObjectNode content = message(att("a.png", "image/png", null, "new"), att("b.png", "image/png", null, "b"));

        assertEquals(new InboxWriter.Report(1, 1), writer(handles).extract(session, "m1", content));

        assertEquals("old", Files.readString(session.resolve("inbox/m1/a.png")));
        JsonNode first = content.get("attachments").get(0);
        assertFalse(first.has("data"));
        assertFalse(first.has("localPath"));
        assertTrue(first.get("note").asText().contains("already in its inbox folder"), first.toString());
        assertEquals("inbox/m1/b.png", content.get("attachments").get(1).get("localPath").asText());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSymlinkPlantedAtTheFileNameIsNotFollowed(boolean handles) throws IOException {
        Path target = Files.writeString(outside.resolve("target.txt"), "secret");
        Files.createDirectories(session.resolve("inbox/m1"));
        Files.createSymbolicLink(session.resolve("inbox/m1/a.txt"), target);
        Files.createSymbolicLink(session.resolve("inbox/m1/dangling.txt"), outside.resolve("created-by-host"));
        ObjectNode content = message(att("a.txt", null, null, "overwritten!"),
                att("dangling.txt", null, null, "created!"));

        assertEquals(new InboxWriter.Report(0, 2), writer(handles).extract(session, "m1", content));

        assertEquals("secret", Files.readString(target));
        assertFalse(Files.exists(outside.resolve("created-by-host"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isSymbolicLink(session.resolve("inbox/m1/a.txt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "..", ".", "", "x\u0000y", "/tmp", "..\\m"})
    void anUnsafeMessageIdSkipsExtractionKeepingTheAttachmentsWithANote(String id) throws IOException {
        ObjectNode content = message(att("a.png", "image/png", null, "x"), att(null, null, null, "y"));

        assertEquals(new InboxWriter.Report(0, 2), writer(true).extract(session, id, content));

        assertEmpty(session.resolve("inbox"));
        assertEquals(List.of(), filesUnder(tmp));
        assertEquals(2, content.get("attachments").size());
        assertEquals("a.png", content.get("attachments").get(0).get("name").asText());
        assertAllRefused(content);
        assertTrue(content.get("attachments").get(0).get("note").asText().contains("message id"));
    }

    @Test
    void invalidBase64DropsOnlyThatAttachment() throws IOException {
        ObjectNode content = message(att("good.txt", null, null, "fine"));
        ArrayNode atts = (ArrayNode) content.get("attachments");
        atts.insertObject(0).put("name", "bad.png").put("data", "not base64!!");
        atts.addObject().put("name", "num.bin").put("data", 42);
        atts.addObject().put("name", "null.bin").putNull("data");

        assertEquals(new InboxWriter.Report(1, 2), writer(true).extract(session, "m1", content));

        JsonNode bad = atts.get(0);
        assertFalse(bad.has("data"));
        assertTrue(bad.get("note").asText().contains("not valid base64"), bad.toString());
        assertEquals("inbox/m1/good.txt", atts.get(1).get("localPath").asText());
        assertTrue(atts.get(2).get("note").asText().contains("not base64 text"));
        assertTrue(atts.get(3).get("data").isNull(), "a null data means no data: left as it was");
        assertEquals(List.of(session.resolve("inbox/m1/good.txt")), filesUnder(tmp));
    }

    @Test
    void base64WrappedOverSeveralLinesIsAccepted() throws IOException {
        byte[] bytes = new byte[200];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        String wrapped = Base64.getMimeEncoder().encodeToString(bytes); // 76 columns, CRLF
        assertTrue(wrapped.contains("\r\n"));
        ObjectNode content = message();
        ((ArrayNode) content.get("attachments")).addObject().put("name", "b.bin").put("data", wrapped);

        assertEquals(new InboxWriter.Report(1, 0), writer(true).extract(session, "m1", content));
        assertArrayEquals(bytes, Files.readAllBytes(session.resolve("inbox/m1/b.bin")));
    }

    @Test
    void anAttachmentOverThePerAttachmentCapIsDroppedWithANote() throws IOException {
        InboxWriter w = new InboxWriter(ContainerOwnership.NONE, CLOCK, 10, 100, true);
        ObjectNode content = message(att("big.txt", null, null, "12345678901"), att("ok.txt", null, null, "1234567890"));

        assertEquals(new InboxWriter.Report(1, 1), w.extract(session, "m1", content));

        JsonNode big = content.get("attachments").get(0);
        assertFalse(big.has("data"));
        assertEquals("The file was not saved: it is 11 bytes, over the 10 bytes limit per attachment.",
                big.get("note").asText());
        assertFalse(Files.exists(session.resolve("inbox/m1/big.txt")));
        assertEquals("1234567890", Files.readString(session.resolve("inbox/m1/ok.txt")));
    }

    @Test
    void attachmentsThatWouldTakeAMessageOverItsCapAreDroppedAndSmallerOnesAfterThemStillFit() throws IOException {
        InboxWriter w = new InboxWriter(ContainerOwnership.NONE, CLOCK, 10, 15, true);
        ObjectNode content = message(att("1.txt", null, null, "aaaaaa"), att("2.txt", null, null, "bbbbbb"),
                att("3.txt", null, null, "cccccc"), att("4.txt", null, null, "ddd"));

        assertEquals(new InboxWriter.Report(3, 1), w.extract(session, "m1", content));

        JsonNode third = content.get("attachments").get(2);
        assertTrue(third.get("note").asText().contains("limit for all its attachments"), third.toString());
        assertFalse(Files.exists(session.resolve("inbox/m1/3.txt")));
        assertTrue(Files.exists(session.resolve("inbox/m1/4.txt")));
    }

    @Test
    void theDefaultCapsAre25MiBPerAttachmentAnd50MiBPerMessage() throws IOException {
        assertEquals(25L * 1024 * 1024, InboxWriter.MAX_ATTACHMENT_BYTES);
        assertEquals(50L * 1024 * 1024, InboxWriter.MAX_MESSAGE_BYTES);
        ObjectNode content = message();
        ((ArrayNode) content.get("attachments")).addObject().put("name", "huge.bin")
                .put("data", b64(new byte[(int) InboxWriter.MAX_ATTACHMENT_BYTES + 1]));

        assertEquals(new InboxWriter.Report(0, 1), new InboxWriter(ContainerOwnership.NONE).extract(session, "m1",
                content));
        assertTrue(content.get("attachments").get(0).get("note").asText().contains("it is 25.1 MiB, over the 25 MiB limit per attachment"));
        assertEquals(List.of(), filesUnder(tmp));
    }

    @Test
    void newFoldersAreOpenToTheContainerAndHandedToItAndFilesAreReadable() throws IOException {
        Files.delete(session.resolve("inbox"));
        List<Boolean> handed = new ArrayList<>();
        InboxWriter w = new InboxWriter(v -> handed.add(v.readAttributes().isDirectory()), CLOCK,
                InboxWriter.MAX_ATTACHMENT_BYTES, InboxWriter.MAX_MESSAGE_BYTES, true);

        w.extract(session, "m1", message(att("a.txt", null, null, "x")));
        w.extract(session, "m1", message(att("b.txt", null, null, "y")));

        assertEquals(List.of(true, true), handed, "inbox and inbox/m1, once each, both folders");
        assertEquals("rwxr-xr-x", perms(session.resolve("inbox")));
        assertEquals("rwxr-xr-x", perms(session.resolve("inbox/m1")));
        Set<PosixFilePermission> file = Files.getPosixFilePermissions(session.resolve("inbox/m1/a.txt"));
        assertTrue(file.contains(PosixFilePermission.OTHERS_READ), file.toString());
        assertFalse(file.contains(PosixFilePermission.OTHERS_WRITE));
    }

    @Test
    void asRootTheFoldersGoToTheContainerUidAndTheFilesStayTheHosts() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to chown");
        InboxWriter w = new InboxWriter(ContainerOwnership.ofUid(1000));

        assertEquals(new InboxWriter.Report(1, 0), w.extract(session, "m1", message(att("a.txt", null, null, "x"))));

        assertEquals(1000, Files.getAttribute(session.resolve("inbox/m1"), "unix:uid"));
        assertEquals(1000, Files.getAttribute(session.resolve("inbox/m1"), "unix:gid"));
        assertEquals(0, Files.getAttribute(session.resolve("inbox/m1/a.txt"), "unix:uid"));
        assertNotEquals(1000, Files.getAttribute(session.resolve("inbox"), "unix:uid"),
                "an existing inbox is left as SessionFolders made it");
    }

    @Test
    void aFolderThatCannotBeHandedOverRefusesTheAttachmentsInsteadOfLeavingThemUnreadable() throws IOException {
        InboxWriter w = new InboxWriter(v -> { throw new IOException("chown failed"); }, CLOCK,
                InboxWriter.MAX_ATTACHMENT_BYTES, InboxWriter.MAX_MESSAGE_BYTES, true);
        ObjectNode content = message(att("a.txt", null, null, "x"));

        assertEquals(new InboxWriter.Report(0, 1), w.extract(session, "m1", content));
        assertNull(content.get("attachments").get(0).get("localPath"));
    }

    @Test
    void sizesInNotesAreRoundedUpSoJustOverACapNeverReadsAsEqual() {
        assertEquals("812 bytes", InboxWriter.size(812));
        assertEquals("25 MiB", InboxWriter.size(25L << 20));
        assertEquals("25.1 MiB", InboxWriter.size((25L << 20) + 1));
        assertEquals("1.5 MiB", InboxWriter.size(3L << 19));
    }

    // --- helpers

    ObjectNode message(ObjectNode... atts) {
        ObjectNode m = mapper.createObjectNode().put("text", "t");
        ArrayNode a = m.putArray("attachments");
        for (ObjectNode o : atts) {
            a.add(o);
        }
        return m;
    }

    ObjectNode att(String name, String mime, String type, String data) {
        ObjectNode o = mapper.createObjectNode();
        if (name != null) {
            o.put("name", name);
        }
        if (mime != null) {
            o.put("mimeType", mime);
        }
        if (type != null) {
            o.put("type", type);
        }
        return o.put("data", b64(data));
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static List<String> localPaths(ObjectNode content) {
        List<String> out = new ArrayList<>();
        content.get("attachments").forEach(a -> out.add(a.path("localPath").asText(null)));
        return out;
    }

    static void assertAllRefused(ObjectNode content) {
        for (JsonNode a : content.get("attachments")) {
            assertFalse(a.has("data"), a.toString());
            assertFalse(a.has("localPath"), a.toString());
            assertTrue(a.get("note").asText().startsWith("The file was not saved: "), a.toString());
        }
    }

    /** Regular files and symlinks anywhere under root, without following links. */
    static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    List<Path> filesOutside(Path allowed) throws IOException {
        return filesUnder(tmp).stream().filter(p -> !p.startsWith(allowed)).toList();
    }

    static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), dir + " should be empty");
        }
    }

    static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
