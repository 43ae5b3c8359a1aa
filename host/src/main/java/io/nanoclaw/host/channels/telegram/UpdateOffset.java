package io.nanoclaw.host.channels.telegram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jboss.logging.Logger;

/**
 * The next getUpdates offset, kept in {@code data/channels/telegram.offset} (written to a temp file, then renamed
 * over it), so a restarted host asks Telegram for exactly the updates it has not handled yet. Telegram forgets an
 * update once a later poll names a higher offset; the file is written only after the update was handed to the
 * router, so a crash in between repeats it (the router drops the duplicate) rather than losing it.
 */
final class UpdateOffset {
    private static final Logger LOG = Logger.getLogger(UpdateOffset.class);

    private final Path file;

    UpdateOffset(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The stored offset, or 0 (Telegram's "from the oldest unconfirmed update") when there is none. */
    long load() {
        try {
            if (!Files.exists(file)) {
                return 0;
            }
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            long v = Long.parseLong(s);
            return Math.max(0, v);
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("telegram: the stored update offset in %s is unreadable (%s); starting from the oldest "
                    + "update Telegram still holds", file, e.getMessage());
            return 0;
        }
    }

    void store(long offset) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(offset) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
