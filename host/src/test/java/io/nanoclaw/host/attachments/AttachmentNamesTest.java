package io.nanoclaw.host.attachments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** host.md #66 (the safe-name truth table) and #82 (generated names from the MIME type or the coarse type). */
class AttachmentNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a.png", "photo 1.JPG", "msg-1700000000000-abc123", "tg-42:ag-main", ".hidden", "a..b",
            "résumé.pdf"})
    void plainFileNamesAreSafe(String name) {
        assertTrue(AttachmentNames.isSafe(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "..\\x", "x\u0000y", "/etc/passwd", "../../escape", "a\\b",
            "dir/", "/", "line\nbreak", "tab\there", "del\u007f"})
    void separatorsTraversalNulAndControlCharactersAreUnsafe(String name) {
        assertFalse(AttachmentNames.isSafe(name), name.replace("\u0000", "\\0"));
    }

    @Test
    void nullAndOverlongNamesAreUnsafe() {
        assertFalse(AttachmentNames.isSafe(null));
        assertTrue(AttachmentNames.isSafe("a".repeat(255)));
        assertFalse(AttachmentNames.isSafe("a".repeat(256)));
        assertFalse(AttachmentNames.isSafe("é".repeat(128)), "256 bytes in UTF-8");
    }

    @ParameterizedTest
    @CsvSource({
            "image/png, png", "image/jpeg, jpg", "image/gif, gif", "image/webp, webp", "application/pdf, pdf",
            "audio/ogg, ogg", "audio/mpeg, mp3", "video/mp4, mp4", "text/plain, txt",
            "IMAGE/JPEG, jpg", "'audio/ogg; codecs=opus', ogg", "' text/plain ; charset=utf-8', txt"})
    void theMimeTypeNamesTheExtension(String mime, String ext) {
        assertEquals(ext, AttachmentNames.extension(mime, "document", new byte[]{1, 2, 3, 4}));
    }

    @Test
    void theMimeTypeWinsOverTheBytes() {
        assertEquals("pdf", AttachmentNames.extension("application/pdf", null, png()));
    }

    @Test
    void withoutAKnownMimeTypeTheBytesNameTheFormat() {
        assertEquals("png", AttachmentNames.extension(null, "image", png()));
        assertEquals("png", AttachmentNames.extension("image/x-unknown", "image", png()));
        assertEquals("jpg", AttachmentNames.extension(null, "photo", bytes(0xFF, 0xD8, 0xFF, 0xE0)));
        assertEquals("gif", AttachmentNames.extension(null, null, "GIF89a".getBytes()));
        assertEquals("webp", AttachmentNames.extension(null, "image", "RIFF\0\0\0\0WEBPVP8 ".getBytes()));
        assertEquals("pdf", AttachmentNames.extension(null, "document", "%PDF-1.7".getBytes()));
        assertEquals("ogg", AttachmentNames.extension(null, "voice", "OggS\0\2".getBytes()));
        assertEquals("mp3", AttachmentNames.extension(null, "audio", "ID3\3\0".getBytes()));
        assertEquals("mp3", AttachmentNames.extension(null, "audio", bytes(0xFF, 0xFB, 0x90, 0x64)));
        assertEquals("mp4", AttachmentNames.extension(null, "video", "\0\0\0\u0018ftypisom".getBytes()));
    }

    @Test
    void lookalikeContainersAreNotMislabelled() {
        assertEquals("bin", AttachmentNames.extension(null, "image", "\0\0\0\u0018ftypheic".getBytes()),
                "HEIC shares the ftyp box with MP4");
        assertEquals("bin", AttachmentNames.extension(null, "audio", bytes(0xFF, 0xF1, 0x50, 0x80)),
                "AAC ADTS shares the frame sync with MP3");
    }

    @Test
    void theCoarseTypeAloneGivesTxtForTextAndBinForTheRest() {
        byte[] unknown = "just some bytes".getBytes();
        assertEquals("txt", AttachmentNames.extension(null, "text", unknown));
        assertEquals("txt", AttachmentNames.extension(null, " TEXT ", unknown));
        assertEquals("bin", AttachmentNames.extension(null, "image", unknown),
                "an image of a format we don't know: no guess that would mislabel it");
        assertEquals("bin", AttachmentNames.extension(null, null, unknown));
        assertEquals("bin", AttachmentNames.extension(null, null, new byte[0]));
    }

    @Test
    void generatedNamesCarryTheTimeAndACounterFromTheSecondOn() {
        assertEquals("attachment-1700000000000.png", AttachmentNames.generated(1700000000000L, "png", 1));
        assertEquals("attachment-1700000000000-2.png", AttachmentNames.generated(1700000000000L, "png", 2));
        assertEquals("a-2.png", AttachmentNames.numbered("a.png", 2));
        assertEquals("README-3", AttachmentNames.numbered("README", 3));
        assertEquals(".bashrc-2", AttachmentNames.numbered(".bashrc", 2));
    }

    @Test
    void hostileNamesPrintOnOneLogLine() {
        assertEquals("\"a?b?\"", AttachmentNames.forLog("a\nb\u0000"));
        assertEquals("(none)", AttachmentNames.forLog(null));
    }

    static byte[] png() {
        return Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
