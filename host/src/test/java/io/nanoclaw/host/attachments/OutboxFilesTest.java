package io.nanoclaw.host.attachments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outbound files from a real session folder (host.md 1.3 steps 6-7, 5.7, #14): what may be sent, what is refused,
 * and that cleanup never deletes outside the outbox. Hostile cases run through handles and the path fallback.
 */
class OutboxFilesTest {
    @TempDir
    Path tmp;
    Path session;
    Path outbox;
    Path outside;
    Path staging;

    @BeforeEach
    void folders() throws IOException {
        session = Files.createDirectories(tmp.resolve("sessions/ag-1/sess-1"));
        outbox = Files.createDirectories(session.resolve("outbox"));
        Files.writeString(session.resolve("inbound.db"), "host data");
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        staging = tmp.resolve("staging");
    }

    OutboxFiles files(boolean handles) {
        return new OutboxFiles(staging, OutboxFiles.MAX_FILE_BYTES, handles);
    }

    @Test
    void regularFilesAreStagedAsCopiesUnderTheirOwnNamesAndCloseDeletesTheCopies() throws Exception {
        Path row = Files.createDirectories(outbox.resolve("r1"));
        Files.writeString(row.resolve("report.pdf"), "%PDF-1.4 ...");
        Files.writeString(row.resolve("b.txt"), "bee");

        List<Path> staged;
        try (OutboxFiles.Staged s = files(true).stage(session, "r1", List.of("b.txt", "report.pdf", "b.txt"))) {
            staged = s.files();
            assertEquals(List.of("b.txt", "report.pdf"), staged.stream().map(p -> p.getFileName().toString()).toList(),
                    "in the row's order, a repeated name once");
            assertEquals("bee", Files.readString(staged.get(0)));
            assertEquals("%PDF-1.4 ...", Files.readString(staged.get(1)));
            for (Path p : staged) {
                assertTrue(p.startsWith(staging), p + " is a host-private copy, not the agent's file");
            }
            assertEquals("rwx------", InboxWriterTest.perms(staged.get(0).getParent()));
        }
        for (Path p : staged) {
            assertFalse(Files.exists(p));
        }
        assertFalse(Files.exists(staged.get(0).getParent()));
        assertEquals("bee", Files.readString(row.resolve("b.txt")), "the outbox itself is cleanup's job");
    }

    @Test
    void aSessionFolderReachedThroughASymlinkedInstallHomeStillWorks() throws Exception {
        Files.createDirectories(outbox.resolve("r1"));
        Files.writeString(outbox.resolve("r1/a.txt"), "a");
        Path viaLink = Files.createSymbolicLink(tmp.resolve("home-link"), tmp).resolve("sessions/ag-1/sess-1");

        try (OutboxFiles.Staged s = files(true).stage(viaLink, "r1", List.of("a.txt"))) {
            assertEquals("a", Files.readString(s.files().get(0)));
        }
        files(true).cleanup(viaLink, "r1");
        assertFalse(Files.exists(outbox.resolve("r1")));
    }

    @Test
    void aRowWithoutFilesNeedsNoFolder() throws Exception {
        try (OutboxFiles.Staged s = files(true).stage(session, "../../", List.of())) {
            assertEquals(List.of(), s.files());
        }
        assertFalse(Files.exists(staging));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void traversalAndAbsoluteNamesAreRefusedAndEveryOneIsListed(boolean handles) throws IOException {
        Files.createDirectories(outbox.resolve("r1"));
        OutboxRefusedException e = assertThrows(OutboxRefusedException.class, () -> files(handles).stage(session,
                "r1", List.of("../../inbound.db", "/etc/passwd", "a/b", "..", "", "..\\x")));

        assertEquals(6, e.refusals().size(), e.refusals().toString());
        assertTrue(e.getMessage().contains("\"/etc/passwd\": not a plain file name"), e.getMessage());
        assertNothingStaged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../", "..", "../outbox", "r1/../../..", "/etc", "", "r\u0000"})
    void aTraversalRowIdIsRefused(String rowId) throws IOException {
        Files.createDirectories(outbox.resolve("r1"));
        OutboxRefusedException e = assertThrows(OutboxRefusedException.class,
                () -> files(true).stage(session, rowId, List.of("inbound.db")));

        assertTrue(e.getMessage().contains("can't be used as a folder name"), e.getMessage());
        assertNothingStaged();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSymlinkPlantedAtAFileNamePointingAtEtcPasswdIsRefused(boolean handles) throws IOException {
        Path row = Files.createDirectories(outbox.resolve("r1"));
        Files.createSymbolicLink(row.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(row.resolve("db"), Path.of("../../inbound.db"));

        OutboxRefusedException e = assertThrows(OutboxRefusedException.class,
                () -> files(handles).stage(session, "r1", List.of("passwd", "db")));

        assertEquals(List.of("\"passwd\": is a symlink", "\"db\": is a symlink"), e.refusals());
        assertNothingStaged();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSymlinkedRowFolderIsRefused(boolean handles) throws IOException {
        Files.createSymbolicLink(outbox.resolve("r1"), outside);

        OutboxRefusedException e = assertThrows(OutboxRefusedException.class,
                () -> files(handles).stage(session, "r1", List.of("secret.txt")));

        assertEquals(List.of("outbox/r1: is a symlink"), e.refusals(), "no host paths in what the agent reads");
        assertNothingStaged();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSymlinkedOutboxIsRefused(boolean handles) throws IOException {
        Files.delete(outbox);
        Files.createDirectories(outside.resolve("r1"));
        Files.writeString(outside.resolve("r1/f.txt"), "elsewhere");
        Files.createSymbolicLink(outbox, outside);

        OutboxRefusedException e = assertThrows(OutboxRefusedException.class,
                () -> files(handles).stage(session, "r1", List.of("f.txt")));
        assertEquals(List.of("outbox: is a symlink"), e.refusals());
        assertNothingStaged();
    }

    @Test
    void foldersFifosAndMissingFilesAreRefusedWithoutBlockingAndNothingOfTheRowIsStaged() throws Exception {
        Path row = Files.createDirectories(outbox.resolve("r1"));
        Files.createDirectories(row.resolve("dir"));
        Files.writeString(row.resolve("good.txt"), "ok");
        Process mk = new ProcessBuilder("mkfifo", row.resolve("fifo").toString()).start();
        assumeTrue(mk.waitFor() == 0, "mkfifo not available");

        OutboxRefusedException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                OutboxRefusedException.class,
                () -> files(true).stage(session, "r1", List.of("good.txt", "dir", "fifo", "gone.txt"))));

        assertEquals(List.of("\"dir\": is a folder", "\"fifo\": is not a regular file",
                "\"gone.txt\": no such file in the outbox"), e.refusals());
        assertNothingStaged();
    }

    @Test
    void aMissingRowFolderIsRefused() {
        OutboxRefusedException e = assertThrows(OutboxRefusedException.class,
                () -> files(true).stage(session, "r9", List.of("a.txt")));
        assertEquals(List.of("outbox/r9 does not exist"), e.refusals());
    }

    @Test
    void aFileOverTheSizeCapIsRefused() throws IOException {
        Path row = Files.createDirectories(outbox.resolve("r1"));
        Files.writeString(row.resolve("big.txt"), "12345678901");
        Files.writeString(row.resolve("ok.txt"), "1234567890");
        OutboxFiles small = new OutboxFiles(staging, 10, true);

        OutboxRefusedException e = assertThrows(OutboxRefusedException.class,
                () -> small.stage(session, "r1", List.of("ok.txt", "big.txt")));

        assertEquals(List.of("\"big.txt\": is 11 bytes, over the 10 bytes limit"), e.refusals());
        assertEquals(50L * 1024 * 1024, OutboxFiles.MAX_FILE_BYTES);
    }

    @Test
    void contentFilesMustBeAListOfNames() throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertEquals(List.of("a.png", "b.txt"), OutboxFiles.fileNames(m.readTree("{\"files\":[\"a.png\",\"b.txt\"]}")));
        assertEquals(List.of(), OutboxFiles.fileNames(m.readTree("{\"text\":\"hi\"}")));
        assertEquals(List.of(), OutboxFiles.fileNames(m.readTree("{\"files\":null}")));
        assertEquals(List.of(), OutboxFiles.fileNames(null));
        assertThrows(OutboxRefusedException.class, () -> OutboxFiles.fileNames(m.readTree("{\"files\":\"a.png\"}")));
        OutboxRefusedException e = assertThrows(OutboxRefusedException.class,
                () -> OutboxFiles.fileNames(m.readTree("{\"files\":[\"a\",{\"path\":\"/etc/passwd\"},3]}")));
        assertEquals(List.of("content.files[1] is not a file name", "content.files[2] is not a file name"),
                e.refusals());
    }

    // --- cleanup

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void cleanupDeletesTheRowFolderWithEverythingInItButNoLinkTargets(boolean handles) throws IOException {
        Path row = Files.createDirectories(outbox.resolve("r1/nested/deeper"));
        row = outbox.resolve("r1");
        Files.writeString(row.resolve("a.txt"), "a");
        Files.writeString(row.resolve("nested/deeper/b.txt"), "b");
        Files.createSymbolicLink(row.resolve("to-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(row.resolve("nested/to-dir"), outside);
        Files.createSymbolicLink(row.resolve("to-session"), session);
        Files.createDirectories(outbox.resolve("r2"));
        Files.writeString(outbox.resolve("r2/keep.txt"), "other row");

        files(handles).cleanup(session, "r1");

        assertFalse(Files.exists(row, LinkOption.NOFOLLOW_LINKS));
        assertEquals("secret", Files.readString(outside.resolve("secret.txt")));
        assertEquals("host data", Files.readString(session.resolve("inbound.db")));
        assertEquals("other row", Files.readString(outbox.resolve("r2/keep.txt")));
        assertEquals(List.of(outside.resolve("secret.txt")), InboxWriterTest.filesUnder(outside));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void cleanupOfASymlinkedRowFolderRemovesOnlyTheLink(boolean handles) throws IOException {
        Files.createSymbolicLink(outbox.resolve("r1"), outside);

        files(handles).cleanup(session, "r1");

        assertFalse(Files.exists(outbox.resolve("r1"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("secret", Files.readString(outside.resolve("secret.txt")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void cleanupThroughASymlinkedOutboxDeletesNothing(boolean handles) throws IOException {
        Files.delete(outbox);
        Files.createDirectories(outside.resolve("r1"));
        Files.writeString(outside.resolve("r1/f.txt"), "elsewhere");
        Files.createSymbolicLink(outbox, outside);

        files(handles).cleanup(session, "r1");

        assertEquals("elsewhere", Files.readString(outside.resolve("r1/f.txt")));
        assertTrue(Files.isSymbolicLink(outbox));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../", "..", ".", "../outbox", "../../../outside", "", "/"})
    void cleanupWithAnUnsafeRowIdDeletesNothing(String rowId) throws IOException {
        Files.createDirectories(outbox.resolve("r1"));
        Files.writeString(outbox.resolve("r1/f.txt"), "f");
        List<Path> before = everything(tmp);

        files(true).cleanup(session, rowId);

        assertEquals(before, everything(tmp));
    }

    @Test
    void cleanupOfAMissingRowOrSessionIsQuiet() {
        files(true).cleanup(session, "r-none");
        files(true).cleanup(tmp.resolve("no-such-session"), "r1");
    }

    void assertNothingStaged() throws IOException {
        if (Files.exists(staging)) {
            InboxWriterTest.assertEmpty(staging);
        }
    }

    static List<Path> everything(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().toList();
        }
    }
}
