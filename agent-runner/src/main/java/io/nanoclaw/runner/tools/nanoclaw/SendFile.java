package io.nanoclaw.runner.tools.nanoclaw;

import static io.nanoclaw.runner.tools.nanoclaw.Args.orEmpty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.builtin.BadInput;
import io.nanoclaw.runner.tools.builtin.PathGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * send_file (agent-runner.md 3.2): copies a file into {@code outbox/<msgId>/<filename>} and writes a chat row naming
 * it; the host reads it from there on delivery. Unlike upstream the source must resolve (symlinks followed) under
 * the tools' allowed roots and be a regular file of at most 50 MB, and the name must be a plain file name.
 */
final class SendFile extends NanoclawTool {
    static final long MAX_BYTES = 50L * 1024 * 1024;

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .property("to", "string", "Destination name. Optional if you have only one destination.", false)
            .property("path", "string", "File path (relative to /workspace/agent/ or absolute)", true)
            .property("text", "string", "Optional accompanying message", false)
            .property("filename", "string", "Display name (default: the file's own name)", false)
            .build();

    SendFile(NanoclawToolEnv env) {
        super(env, "send_file", "Send a file to a named destination. If you have only one destination, you can"
                + " omit `to`.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException, IOException {
        String raw = Args.text(input, "path");
        if (raw == null) {
            throw new Refusal("path is required");
        }
        Route route = Routes.resolve(env.inbound(), Args.text(input, "to"));
        Path given = given(raw);
        if (!Files.exists(given)) {
            throw new Refusal("File not found: " + raw);
        }
        Path real;
        try {
            real = PathGuard.resolve(context, given.toString());
        } catch (BadInput e) {
            throw new Refusal("Path not allowed for send_file: " + raw + ". Files must be under "
                    + context.allowedRoots().stream().map(Path::toString).collect(Collectors.joining(", ")) + ".");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refusal("Not a regular file: " + raw);
        }
        long size = Files.size(real);
        if (size > MAX_BYTES) {
            throw tooLarge(size);
        }
        String filename = Args.text(input, "filename");
        if (filename == null) {
            filename = given.getFileName() == null ? "" : given.getFileName().toString();
        }
        String problem = FileNames.problem(filename);
        if (problem != null) {
            throw new Refusal(problem);
        }

        String id = MessageIds.next("msg");
        Path dir = env.outbox().resolve(id);
        boolean written = false;
        try {
            Files.createDirectories(dir);
            copyBounded(real, dir.resolve(filename));
            ObjectNode content = Json.object();
            content.put("text", orEmpty(Args.text(input, "text")));
            content.putArray("files").add(filename);
            OutboundRows.write(env, new OutboundMessage(id, MessageKind.CHAT, content.toString(), route.routing(),
                    env.inReplyTo()));
            written = true;
        } finally {
            if (!written) {
                deleteQuietly(dir);
            }
        }
        return "File sent to " + route.name() + " (id: " + id + ", filename: " + filename + ")";
    }

    private Path given(String raw) throws Refusal {
        try {
            Path p = Path.of(raw);
            return (p.isAbsolute() ? p : env.agentDir().resolve(p)).normalize();
        } catch (InvalidPathException e) {
            throw new Refusal("File not found: " + raw);
        }
    }

    /**
     * Copies without following a symlink swapped in after the check, and stops at the limit even if the file grew
     * since its size was read.
     */
    private static void copyBounded(Path from, Path to) throws IOException, Refusal {
        try (InputStream in = Files.newInputStream(from, LinkOption.NOFOLLOW_LINKS);
             OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > MAX_BYTES) {
                    throw tooLarge(total);
                }
                out.write(buf, 0, n);
            }
        }
    }

    private static Refusal tooLarge(long size) {
        return new Refusal(String.format(Locale.ROOT, "File too large (%.1fMB). Max %dMB.",
                size / 1024.0 / 1024.0, MAX_BYTES / 1024 / 1024));
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover outbox folder without a row is never delivered
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
