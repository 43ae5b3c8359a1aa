package io.nanoclaw.host.attachments;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.protocol.SessionFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Files an agent sends with an outbound row: {@code content.files} names, read from
 * {@code <session>/outbox/<rowId>/} (host.md 1.3 step 6-7, 5.7; upstream PR #2001 and #2760 were exfiltration and
 * deletion through exactly these paths).
 *
 * <p>The agent owns the outbox and can swap a checked file for a symlink to a host file before a channel adapter
 * opens it. So {@link #stage} does not hand out outbox paths: it checks each file through a {@link PinnedDir}
 * (plain name, regular file, not a symlink, under the size cap), copies it from the handle it checked into a
 * host-private staging folder, and hands out the copies. The copies keep their names, which adapters use as the
 * upload's file name. Close the returned {@link Staged} after delivery to delete them.
 */
public final class OutboxFiles {
    private static final Logger LOG = Logger.getLogger(OutboxFiles.class);

    public static final long MAX_FILE_BYTES = 50L << 20;

    /** Deeper trees in an outbox folder are not something an agent makes by accident; cleanup leaves them. */
    private static final int MAX_CLEANUP_DEPTH = 16;

    private final Path stagingRoot;
    private final long maxFileBytes;
    private final boolean useHandles;

    /** @param stagingRoot a folder of the host's that no container mounts (created 0700 when missing) */
    public OutboxFiles(Path stagingRoot) {
        this(stagingRoot, MAX_FILE_BYTES, true);
    }

    /** Tests: a small cap, and the path fallback of {@link PinnedDir}. */
    OutboxFiles(Path stagingRoot, long maxFileBytes, boolean useHandles) {
        this.stagingRoot = stagingRoot;
        this.maxFileBytes = maxFileBytes;
        this.useHandles = useHandles;
    }

    /** Copies of a row's outbox files, ready for a channel adapter; {@link #close()} deletes them. */
    public static final class Staged implements AutoCloseable {
        private final Path folder;
        private final List<Path> files;

        private Staged(Path folder, List<Path> files) {
            this.folder = folder;
            this.files = List.copyOf(files);
        }

        /** In the order of {@code content.files} (duplicates once); empty when the row has no files. */
        public List<Path> files() {
            return files;
        }

        @Override
        public void close() {
            if (folder != null) {
                deleteStaging(folder);
            }
        }
    }

    /**
     * The {@code content.files} names of an outbound row: empty when absent or null; refused when it is not a list
     * of strings (the row then fails like a refused file).
     */
    public static List<String> fileNames(JsonNode content) throws OutboxRefusedException {
        JsonNode f = content == null ? null : content.get("files");
        if (f == null || f.isNull()) {
            return List.of();
        }
        if (!f.isArray()) {
            throw new OutboxRefusedException(List.of("content.files is not a list of file names"));
        }
        List<String> names = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            if (f.get(i).isTextual()) {
                names.add(f.get(i).asText());
            } else {
                bad.add("content.files[" + i + "] is not a file name");
            }
        }
        if (!bad.isEmpty()) {
            throw new OutboxRefusedException(bad);
        }
        return names;
    }

    /**
     * Checks and copies the named files of {@code outbox/<rowId>/}. All or nothing: when any file is refused,
     * nothing is staged and the exception lists every refused file with its reason.
     */
    public Staged stage(Path sessionDir, String rowId, List<String> names) throws OutboxRefusedException {
        if (names.isEmpty()) {
            return new Staged(null, List.of());
        }
        if (!AttachmentNames.isSafe(rowId)) {
            throw refused(rowId, List.of("row id " + AttachmentNames.forLog(rowId) + " can't be used as a folder name"));
        }
        List<String> refusals = new ArrayList<>();
        LinkedHashSet<String> unique = new LinkedHashSet<>(names);
        for (String n : unique) {
            if (!AttachmentNames.isSafe(n)) {
                refusals.add(AttachmentNames.forLog(n) + ": not a plain file name");
            }
        }
        if (!refusals.isEmpty()) {
            throw refused(rowId, refusals);
        }
        PinnedDir rowDir;
        try {
            rowDir = openRowDir(sessionDir, rowId);
        } catch (NoSuchFileException e) {
            throw refused(rowId, List.of("outbox/" + rowId + " does not exist"));
        } catch (IOException e) {
            LOG.debugf(e, "outbox row %s", rowId);
            throw refused(rowId, List.of(inSession(sessionDir, e, "outbox/" + rowId) + ": " + PinnedDir.reason(e)));
        }
        Path batch = null;
        List<Path> copies = new ArrayList<>();
        try (rowDir) {
            batch = newBatchFolder();
            for (String n : unique) {
                String why = copy(rowDir, n, batch.resolve(n));
                if (why == null) {
                    copies.add(batch.resolve(n));
                } else {
                    refusals.add(AttachmentNames.forLog(n) + ": " + why);
                }
            }
        } catch (IOException e) {
            LOG.warnf(e, "outbox row %s: staging into %s failed", rowId, stagingRoot);
            refusals.add("the host could not copy the files for sending (" + PinnedDir.reason(e) + ")");
        }
        if (!refusals.isEmpty()) {
            if (batch != null) {
                deleteStaging(batch);
            }
            throw refused(rowId, refusals);
        }
        return new Staged(batch, copies);
    }

    private OutboxRefusedException refused(String rowId, List<String> refusals) {
        OutboxRefusedException e = new OutboxRefusedException(refusals);
        LOG.warnf("outbox row %s: %s", AttachmentNames.forLog(rowId), e.getMessage());
        return e;
    }

    /** Which folder an error is about, as the agent names it ("outbox", "outbox/r1"), never a host path. */
    private static String inSession(Path sessionDir, IOException e, String fallback) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            try {
                Path file = Path.of(f.getFile());
                Path base = sessionDir.toRealPath();
                if (file.startsWith(base)) {
                    return base.relativize(file).toString();
                }
            } catch (IOException | RuntimeException ignored) {
                // fall back to the generic name
            }
        }
        return fallback;
    }

    private PinnedDir openRowDir(Path sessionDir, String rowId) throws IOException {
        Path sessionReal = sessionDir.toRealPath();
        try (PinnedDir session = PinnedDir.open(sessionReal, useHandles);
             PinnedDir outbox = session.openDir(SessionFiles.OUTBOX)) {
            PinnedDir row = outbox.openDir(rowId);
            // Realpath containment on top of the handles: exactly <session>/outbox/<rowId>, nothing via links.
            Path expected = sessionReal.resolve(SessionFiles.OUTBOX).resolve(rowId);
            Path real = row.path().toRealPath();
            if (!real.equals(expected)) {
                row.close();
                throw new FileSystemException(row.path().toString(), null, "resolves to a folder outside the outbox");
            }
            return row;
        }
    }

    /** @return null when copied, else why the file is refused. */
    private String copy(PinnedDir rowDir, String name, Path target) throws IOException {
        Optional<BasicFileAttributes> found = rowDir.lstat(name);
        if (found.isEmpty()) {
            return "no such file in the outbox";
        }
        BasicFileAttributes a = found.get();
        if (a.isSymbolicLink()) {
            return "is a symlink";
        }
        if (a.isDirectory()) {
            return "is a folder";
        }
        if (!a.isRegularFile()) {
            return "is not a regular file"; // FIFOs, sockets, devices: opening a FIFO would block delivery
        }
        if (a.size() > maxFileBytes) {
            return "is " + InboxWriter.size(a.size()) + ", over the " + InboxWriter.size(maxFileBytes) + " limit";
        }
        SeekableByteChannel in;
        try {
            in = rowDir.openRead(name);
        } catch (IOException e) {
            // e.g. ELOOP: a symlink swapped in after the check above, and O_NOFOLLOW refused it.
            return "could not be opened safely (" + PinnedDir.reason(e) + ")";
        }
        long copied = 0;
        try (in; SeekableByteChannel out = Files.newByteChannel(target, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (in.read(buf) >= 0) {
                buf.flip();
                copied += buf.remaining();
                if (copied > maxFileBytes) {
                    return "grew over the " + InboxWriter.size(maxFileBytes) + " limit while being read";
                }
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                buf.clear();
            }
        }
        return null;
    }

    private Path newBatchFolder() throws IOException {
        if (!Files.isDirectory(stagingRoot)) {
            Files.createDirectories(stagingRoot);
            Files.setPosixFilePermissions(stagingRoot, PosixFilePermissions.fromString("rwx------"));
        }
        return Files.createTempDirectory(stagingRoot, "row-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static void deleteStaging(Path folder) {
        try (PinnedDir d = PinnedDir.open(folder, true)) {
            for (String n : d.list()) {
                d.deleteFile(n);
            }
        } catch (IOException e) {
            LOG.warnf("could not empty staging folder %s: %s", folder, e.getMessage());
        }
        try {
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            LOG.warnf("could not delete staging folder %s: %s", folder, e.getMessage());
        }
    }

    /**
     * Deletes {@code outbox/<rowId>/} after delivery. Best effort, never throws. Works through handles and never
     * follows a link: a symlink at {@code outbox/<rowId>} (or inside it) is removed itself, its target untouched; a
     * symlinked {@code outbox} or an unsafe row id means nothing is deleted.
     */
    public void cleanup(Path sessionDir, String rowId) {
        if (!AttachmentNames.isSafe(rowId)) {
            LOG.warnf("outbox cleanup: row id %s is not a plain folder name; nothing deleted",
                    AttachmentNames.forLog(rowId));
            return;
        }
        try (PinnedDir session = PinnedDir.open(sessionDir.toRealPath(), useHandles);
             PinnedDir outbox = session.openDir(SessionFiles.OUTBOX)) {
            Optional<BasicFileAttributes> a = outbox.lstat(rowId);
            if (a.isEmpty()) {
                return;
            }
            if (a.get().isDirectory()) {
                deleteTree(outbox, rowId, 0);
            } else {
                outbox.deleteFile(rowId); // a symlink (unlinked, not followed) or a stray file
            }
        } catch (NoSuchFileException e) {
            // no session folder or outbox: nothing to clean
        } catch (IOException e) {
            LOG.warnf("outbox cleanup of %s in %s: %s", rowId, sessionDir, e.getMessage());
        }
    }

    private static void deleteTree(PinnedDir parent, String name, int depth) throws IOException {
        if (depth > MAX_CLEANUP_DEPTH) {
            LOG.warnf("outbox cleanup: %s is nested too deep; left in place", parent.path().resolve(name));
            return;
        }
        try (PinnedDir d = parent.openDir(name)) {
            for (String child : d.list()) {
                try {
                    Optional<BasicFileAttributes> a = d.lstat(child);
                    if (a.isPresent() && a.get().isDirectory()) {
                        deleteTree(d, child, depth + 1);
                    } else if (a.isPresent()) {
                        d.deleteFile(child);
                    }
                } catch (IOException e) {
                    LOG.debugf("outbox cleanup: %s: %s", d.path().resolve(child), e.getMessage());
                }
            }
        }
        parent.deleteDir(name);
    }
}
