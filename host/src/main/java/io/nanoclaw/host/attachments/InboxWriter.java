package io.nanoclaw.host.attachments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.SessionFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Inbound attachments (host.md 5.7): each base64 {@code data} in {@code content.attachments} is decoded into
 * {@code <session>/inbox/<msgId>/<name>} and replaced by {@code localPath: "inbox/<msgId>/<name>"}, the path the
 * agent sees under /workspace. Nothing else in the content changes.
 *
 * <p>An attachment that can't be saved (unsafe message id, unsafe folders, a name that already exists, invalid
 * base64, over a size cap, an I/O error) loses its {@code data} and gets a {@code note} saying why, so the agent can
 * tell the user; the others are still saved. Every refusal is logged.
 *
 * <p>Folders are created 0755 and handed to the container's uid through {@link ContainerOwnership}; files are 0644
 * and stay the host's (see there why files are never chowned). Everything goes through {@link PinnedDir}: no
 * symlink is followed, no file is overwritten.
 */
public final class InboxWriter {
    private static final Logger LOG = Logger.getLogger(InboxWriter.class);

    public static final long MAX_ATTACHMENT_BYTES = 25L << 20;
    public static final long MAX_MESSAGE_BYTES = 50L << 20;

    private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-r--r--");
    private static final int MAX_NAME_TRIES = 100;

    /** What one call did: attachments saved and attachments refused (each refused one carries a note). */
    public record Report(int saved, int refused) {
        public boolean changed() {
            return saved + refused > 0;
        }
    }

    private final ContainerOwnership owner;
    private final Clock clock;
    private final long maxAttachmentBytes;
    private final long maxMessageBytes;
    private final boolean useHandles;
    private final ObjectMapper mapper = new ObjectMapper();

    public InboxWriter(ContainerOwnership owner) {
        this(owner, Clock.systemUTC(), MAX_ATTACHMENT_BYTES, MAX_MESSAGE_BYTES, true);
    }

    /** Tests: a fixed clock for generated names, small caps, and the path fallback of {@link PinnedDir}. */
    InboxWriter(ContainerOwnership owner, Clock clock, long maxAttachmentBytes, long maxMessageBytes,
                boolean useHandles) {
        this.owner = owner;
        this.clock = clock;
        this.maxAttachmentBytes = maxAttachmentBytes;
        this.maxMessageBytes = maxMessageBytes;
        this.useHandles = useHandles;
    }

    /**
     * The same as {@link #extract(Path, String, ObjectNode)} on a JSON string (messages_in.content). Returns the
     * rewritten JSON, or the input itself when there was nothing to extract or it is not a JSON object.
     */
    public String extract(Path sessionDir, String messageId, String contentJson) {
        if (contentJson == null || !contentJson.contains("\"attachments\"")) {
            return contentJson; // the common case: no parse, no allocation
        }
        JsonNode n;
        try {
            n = mapper.readTree(contentJson);
        } catch (IOException e) {
            return contentJson;
        }
        if (!(n instanceof ObjectNode o) || !extract(sessionDir, messageId, o).changed()) {
            return contentJson;
        }
        try {
            return mapper.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON back: " + e.getMessage(), e);
        }
    }

    /**
     * Saves the attachments of one message into the session's inbox and rewrites {@code content} in place. Never
     * throws for a bad attachment or an unsafe folder: those are refused one by one (see the class comment).
     */
    public Report extract(Path sessionDir, String messageId, ObjectNode content) {
        List<ObjectNode> items = new ArrayList<>();
        JsonNode atts = content.get("attachments");
        if (atts != null && atts.isArray()) {
            for (JsonNode a : atts) {
                if (a instanceof ObjectNode o && o.hasNonNull("data")) {
                    items.add(o);
                }
            }
        }
        if (items.isEmpty()) {
            return new Report(0, 0);
        }
        String where = sessionDir.getFileName() + " message " + AttachmentNames.forLog(messageId);
        if (!AttachmentNames.isSafe(messageId)) {
            LOG.warnf("session %s: message id is not a safe folder name; %d attachment(s) not saved", where,
                    items.size());
            items.forEach(o -> refuse(o, "the message id can't be used as a folder name"));
            return new Report(0, items.size());
        }
        PinnedDir dir;
        try {
            dir = messageDir(sessionDir, messageId);
        } catch (IOException e) {
            LOG.warnf("session %s: inbox folder refused (%s); %d attachment(s) not saved", where, e.getMessage(),
                    items.size());
            items.forEach(o -> refuse(o, "the inbox folder is unsafe or unusable"));
            return new Report(0, items.size());
        }
        int saved = 0;
        try (dir) {
            long total = 0;
            Set<String> used = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                long n = saveOne(dir, messageId, items.get(i), i, total, used, where);
                if (n >= 0) {
                    saved++;
                    total += n;
                }
            }
        } catch (IOException e) {
            LOG.debugf("closing inbox folder %s: %s", where, e.getMessage());
        }
        return new Report(saved, items.size() - saved);
    }

    /** Opens (creating when missing) inbox/ and inbox/<msgId>/, refusing symlinks and anything outside the session. */
    private PinnedDir messageDir(Path sessionDir, String messageId) throws IOException {
        Path sessionReal = sessionDir.toRealPath();
        Path inboxReal = sessionReal.resolve(SessionFiles.INBOX);
        try (PinnedDir session = PinnedDir.open(sessionReal, useHandles);
             PinnedDir inbox = openOrCreate(session, SessionFiles.INBOX, sessionReal)) {
            requireAt(inbox, inboxReal);
            PinnedDir msg = openOrCreate(inbox, messageId, inboxReal);
            try {
                requireAt(msg, inboxReal.resolve(messageId));
                return msg;
            } catch (IOException e) {
                msg.close();
                throw e;
            }
        }
    }

    private PinnedDir openOrCreate(PinnedDir parent, String name, Path parentReal) throws IOException {
        boolean created = false;
        if (parent.lstat(name).isEmpty()) {
            requireAt(parent, parentReal); // mkdir goes by path: make sure that path still leads here
            try {
                parent.mkdir(name, DIR_MODE);
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // someone made it meanwhile; openDir below checks what it is
            }
        }
        PinnedDir d = parent.openDir(name); // refuses symlinks and non-folders
        if (created) {
            try {
                PosixFileAttributeView v = d.selfView();
                v.setPermissions(PosixFilePermissions.fromString("rwxr-xr-x")); // the umask may have cut o+rx
                owner.give(v);
            } catch (IOException | UnsupportedOperationException e) {
                d.close();
                throw new IOException("cannot hand " + d.path() + " to the container: " + e.getMessage(), e);
            }
        }
        return d;
    }

    /** Realpath containment, on top of the handles: the folder must be exactly where we expect it. */
    private static void requireAt(PinnedDir d, Path expectedReal) throws IOException {
        Path real = d.path().toRealPath();
        if (!real.equals(expectedReal)) {
            throw new FileSystemException(d.path().toString(), null, "resolves to " + real + ", outside "
                    + expectedReal);
        }
    }

    /** @return the decoded size when saved, -1 when refused. */
    private long saveOne(PinnedDir dir, String messageId, ObjectNode item, int index, long total, Set<String> used,
                         String where) {
        String label = "attachment " + (index + 1) + " (" + AttachmentNames.forLog(nameOf(item)) + ")";
        JsonNode data = item.get("data");
        if (!data.isTextual()) {
            return refuseLogged(item, where, label, "its data is not base64 text");
        }
        String b64 = withoutWhitespace(data.asText());
        long estimate = decodedLength(b64);
        // Checked before decoding, so an oversized attachment never costs its decoded size in memory.
        if (estimate > maxAttachmentBytes) {
            return refuseLogged(item, where, label, "it is " + size(estimate) + ", over the " + size(maxAttachmentBytes)
                    + " limit per attachment");
        }
        if (total + estimate > maxMessageBytes) {
            return refuseLogged(item, where, label, "it would take this message over the " + size(maxMessageBytes)
                    + " limit for all its attachments");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return refuseLogged(item, where, label, "its data is not valid base64");
        }
        String given = nameOf(item);
        boolean generated = !AttachmentNames.isSafe(given);
        String ext = generated ? AttachmentNames.extension(text(item, "mimeType"), text(item, "type"), bytes) : null;
        long now = clock.millis();
        for (int n = 1; n <= MAX_NAME_TRIES; n++) {
            String name = generated ? AttachmentNames.generated(now, ext, n) : AttachmentNames.numbered(given, n);
            if (used.contains(name)) {
                continue; // two attachments of one message with the same name: both are kept
            }
            if (!AttachmentNames.isSafe(name)) {
                return refuseLogged(item, where, label, "its name is too long");
            }
            try {
                write(dir, name, bytes);
            } catch (FileAlreadyExistsException e) {
                if (generated) {
                    continue;
                }
                // Existed before this message was handled (a symlink counts): never overwrite, never follow.
                return refuseLogged(item, where, label, "a file named " + AttachmentNames.forLog(name)
                        + " is already in its inbox folder");
            } catch (IOException e) {
                LOG.debugf(e, "session %s: writing %s", where, label);
                return refuseLogged(item, where, label, "it could not be written (" + PinnedDir.reason(e) + ")");
            }
            used.add(name);
            if (generated) {
                LOG.infof("session %s: %s has no safe name; saved as %s", where, label, name);
            }
            item.remove("data");
            item.put("localPath", SessionFiles.INBOX + "/" + messageId + "/" + name);
            return bytes.length;
        }
        return refuseLogged(item, where, label, "no free file name was found");
    }

    private static void write(PinnedDir dir, String name, byte[] bytes) throws IOException {
        try (SeekableByteChannel ch = dir.createFile(name, PosixFilePermissions.asFileAttribute(FILE_PERMS))) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            try {
                dir.deleteFile(name); // no half-written file left for the agent to misread
            } catch (IOException ignored) {
                // best effort
            }
            throw e;
        }
        // The umask may have cut o+r, and the container's uid reads it as "other". Only then touch the file, and
        // only if it is still the regular file we made (setting attributes opens it).
        Optional<BasicFileAttributes> a = dir.lstat(name);
        if (a.isPresent() && a.get().isRegularFile()) {
            PosixFileAttributeView v = dir.view(name);
            if (!v.readAttributes().permissions().contains(PosixFilePermission.OTHERS_READ)) {
                v.setPermissions(FILE_PERMS);
            }
        }
    }

    private static long refuseLogged(ObjectNode item, String where, String label, String reason) {
        LOG.warnf("session %s: %s not saved: %s", where, label, reason);
        refuse(item, reason);
        return -1;
    }

    private static void refuse(ObjectNode item, String reason) {
        item.remove("data");
        item.put("note", "The file was not saved: " + reason + ".");
    }

    private static String nameOf(ObjectNode item) {
        String n = text(item, "name");
        return n != null && !n.isEmpty() ? n : text(item, "filename");
    }

    private static String text(ObjectNode item, String field) {
        JsonNode v = item.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** Some senders wrap base64 at 76 columns; the strict decoder (which we want for everything else) refuses that. */
    private static String withoutWhitespace(String s) {
        int i = 0;
        while (i < s.length() && !isSpace(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            if (!isSpace(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** The decoded size of base64 text, exact for well-formed input (padded or not). */
    static long decodedLength(String b64) {
        int n = b64.length();
        int pad = 0;
        while (pad < 2 && n - pad > 0 && b64.charAt(n - 1 - pad) == '=') {
            pad++;
        }
        return (long) n * 3 / 4 - pad;
    }

    /** "812 bytes", "25 MiB", "25.1 MiB": rounded up, so a size just over a cap never prints as equal to it. */
    static String size(long bytes) {
        long mib = 1L << 20;
        if (bytes < mib) {
            return bytes + " bytes";
        }
        if (bytes % mib == 0) {
            return bytes / mib + " MiB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", Math.ceil(bytes * 10.0 / mib) / 10);
    }
}
