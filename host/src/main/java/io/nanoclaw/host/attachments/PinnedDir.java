package io.nanoclaw.host.attachments;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A directory held open by handle, with every operation relative to that handle and never following a symlink.
 *
 * <p>Why: the session folder belongs to the container's uid, so the agent can rename things and plant symlinks at
 * any moment, also between a check and a use. Checking a path and then opening it again by path would leave that
 * gap. On Linux the JDK gives a {@link SecureDirectoryStream} (openat/unlinkat/fstatat), which closes it. Where it
 * does not, this falls back to paths with {@link LinkOption#NOFOLLOW_LINKS} (the final component is still never
 * followed; only a swap of a parent folder mid-operation would go unnoticed), plus the callers' realpath checks.
 *
 * <p>Things are always looked at (lstat) before they are opened: opening a FIFO the agent planted would block the
 * host's thread.
 */
final class PinnedDir implements Closeable {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path path;
    private final SecureDirectoryStream<Path> handle;

    private PinnedDir(Path path, SecureDirectoryStream<Path> handle) {
        this.path = path;
        this.handle = handle;
    }

    /**
     * Opens a folder the host trusts (the session folder: its parents are the host's own, so following links up to
     * here is fine). {@code useHandles=false} forces the path fallback (tests of that code path).
     */
    static PinnedDir open(Path trusted, boolean useHandles) throws IOException {
        if (!useHandles) {
            if (!Files.isDirectory(trusted)) {
                throw new NoSuchFileException(trusted.toString());
            }
            return new PinnedDir(trusted, null);
        }
        DirectoryStream<Path> ds = Files.newDirectoryStream(trusted);
        if (ds instanceof SecureDirectoryStream<Path> s) {
            return new PinnedDir(trusted, s);
        }
        ds.close();
        return new PinnedDir(trusted, null);
    }

    Path path() {
        return path;
    }

    boolean usesHandles() {
        return handle != null;
    }

    /** The entry's own attributes, never its target's; empty when there is nothing by that name. */
    Optional<BasicFileAttributes> lstat(String name) throws IOException {
        try {
            if (handle != null) {
                return Optional.of(handle.getFileAttributeView(rel(name), BasicFileAttributeView.class, NOFOLLOW)
                        .readAttributes());
            }
            return Optional.of(Files.readAttributes(path.resolve(name), BasicFileAttributes.class, NOFOLLOW));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Opens a child folder; refuses a symlink, a missing entry or anything that is not a folder. */
    PinnedDir openDir(String name) throws IOException {
        BasicFileAttributes a = lstat(name).orElseThrow(() -> new NoSuchFileException(path.resolve(name).toString()));
        if (a.isSymbolicLink()) {
            throw new FileSystemException(path.resolve(name).toString(), null, "is a symlink");
        }
        if (!a.isDirectory()) {
            throw new FileSystemException(path.resolve(name).toString(), null, "is not a folder");
        }
        if (handle == null) {
            return new PinnedDir(path.resolve(name), null);
        }
        // O_NOFOLLOW relative to our handle: a symlink swapped in after the lstat makes this fail, not follow.
        return new PinnedDir(path.resolve(name), handle.newDirectoryStream(rel(name), NOFOLLOW));
    }

    /**
     * Creates a child folder. The JDK has no mkdirat, so this goes by path; callers check the realpath of this
     * folder first and open the new folder through {@link #openDir}, so a misplaced mkdir is never used.
     */
    void mkdir(String name, FileAttribute<?>... attrs) throws IOException {
        Files.createDirectory(path.resolve(name), attrs);
    }

    /** Creates a new file (O_CREAT|O_EXCL|O_NOFOLLOW): an existing file or a symlink by that name makes it fail. */
    SeekableByteChannel createFile(String name, FileAttribute<?>... attrs) throws IOException {
        Set<OpenOption> opts = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        return handle != null ? handle.newByteChannel(rel(name), opts, attrs)
                : Files.newByteChannel(path.resolve(name), opts, attrs);
    }

    /** Opens a file for reading with O_NOFOLLOW. Callers lstat first (a FIFO would block here). */
    SeekableByteChannel openRead(String name) throws IOException {
        Set<OpenOption> opts = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        return handle != null ? handle.newByteChannel(rel(name), opts) : Files.newByteChannel(path.resolve(name), opts);
    }

    /** This folder's own attributes, bound to the handle (fchown/fchmod on it). */
    PosixFileAttributeView selfView() {
        return handle != null ? handle.getFileAttributeView(PosixFileAttributeView.class)
                : Files.getFileAttributeView(path, PosixFileAttributeView.class, NOFOLLOW);
    }

    /** A child's attributes without following a link. Setting them opens the child: lstat it first. */
    PosixFileAttributeView view(String name) {
        return handle != null ? handle.getFileAttributeView(rel(name), PosixFileAttributeView.class, NOFOLLOW)
                : Files.getFileAttributeView(path.resolve(name), PosixFileAttributeView.class, NOFOLLOW);
    }

    /** Removes a file or symlink (unlink never follows the link it removes). */
    void deleteFile(String name) throws IOException {
        if (handle != null) {
            handle.deleteFile(rel(name));
        } else {
            Files.delete(path.resolve(name));
        }
    }

    /** Removes an empty child folder. */
    void deleteDir(String name) throws IOException {
        if (handle != null) {
            handle.deleteDirectory(rel(name));
        } else {
            Files.delete(path.resolve(name));
        }
    }

    /** The names in this folder. A handle can be listed once only, which is all its callers need. */
    List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        if (handle != null) {
            for (Path p : handle) {
                names.add(p.getFileName().toString());
            }
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    /**
     * An I/O error without the host's absolute paths, for notes and errors the agent reads (the full exception goes
     * to the host's log).
     */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "it does not exist";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static Path rel(String name) {
        return Path.of(name);
    }

    @Override
    public void close() throws IOException {
        if (handle != null) {
            handle.close();
        }
    }
}
