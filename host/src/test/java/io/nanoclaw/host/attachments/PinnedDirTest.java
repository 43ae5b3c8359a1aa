package io.nanoclaw.host.attachments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent can swap a folder for a symlink after the host looked at it. Held handles keep pointing at the folder
 * that was checked, so writes and deletes never land at the symlink's target.
 */
class PinnedDirTest {
    @TempDir
    Path tmp;
    Path outside;

    @BeforeEach
    void folders() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
    }

    @Test
    void onLinuxFoldersAreHeldByHandle() throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"));
        try (PinnedDir d = PinnedDir.open(tmp, true)) {
            assertTrue(d.usesHandles(), "the JDK should offer SecureDirectoryStream here");
        }
    }

    @Test
    void aFileCreatedAfterTheFolderWasSwappedForASymlinkLandsInTheCheckedFolder() throws IOException {
        Files.createDirectories(tmp.resolve("inbox"));
        try (PinnedDir root = PinnedDir.open(tmp, true); PinnedDir inbox = root.openDir("inbox")) {
            assumeTrue(inbox.usesHandles());
            Files.move(tmp.resolve("inbox"), tmp.resolve("inbox-moved"));
            Files.createSymbolicLink(tmp.resolve("inbox"), outside);

            try (SeekableByteChannel ch = inbox.createFile("f.txt")) {
                ch.write(ByteBuffer.wrap("x".getBytes()));
            }
        }
        assertEquals("x", Files.readString(tmp.resolve("inbox-moved/f.txt")));
        assertFalse(Files.exists(outside.resolve("f.txt")));
    }

    @Test
    void deletesAfterTheFolderWasSwappedForASymlinkNeverReachItsTarget() throws IOException {
        Files.createDirectories(tmp.resolve("outbox/r1"));
        Files.writeString(tmp.resolve("outbox/r1/keep.txt"), "mine");
        try (PinnedDir root = PinnedDir.open(tmp.resolve("outbox"), true); PinnedDir row = root.openDir("r1")) {
            assumeTrue(row.usesHandles());
            Files.move(tmp.resolve("outbox/r1"), tmp.resolve("outbox/r1-moved"));
            Files.createSymbolicLink(tmp.resolve("outbox/r1"), outside);

            for (String n : row.list()) {
                row.deleteFile(n);
            }
        }
        assertEquals("keep", Files.readString(outside.resolve("keep.txt")));
        assertFalse(Files.exists(tmp.resolve("outbox/r1-moved/keep.txt")));
    }

    @Test
    void theJdkRefusesToOpenASymlinkedFolderOrFileWithoutFollowing() throws IOException {
        Files.createSymbolicLink(tmp.resolve("dir-link"), outside);
        Files.createSymbolicLink(tmp.resolve("file-link"), outside.resolve("keep.txt"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            assumeTrue(ds instanceof SecureDirectoryStream<Path>);
            SecureDirectoryStream<Path> s = (SecureDirectoryStream<Path>) ds;
            assertThrows(IOException.class,
                    () -> s.newDirectoryStream(Path.of("dir-link"), LinkOption.NOFOLLOW_LINKS).close());
        }
        try (PinnedDir d = PinnedDir.open(tmp, true)) {
            IOException e = assertThrows(IOException.class, () -> d.openRead("file-link").close());
            assertTrue(e.getMessage().contains("symbolic links"), "O_NOFOLLOW → ELOOP: " + e.getMessage());
            assertThrows(FileSystemException.class, () -> d.openDir("dir-link"));
        }
    }
}
