package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * Claude Code's Read: text in {@code cat -n} form; images and PDFs as content blocks, the runner's only way to
 * show the model media from disk (inbox/ attachments).
 */
public final class Read implements Tool {
    static final int DEFAULT_LIMIT = 2000;
    static final int MAX_LINE_CHARS = 2000;
    static final long MAX_MEDIA_BYTES = 5L * 1024 * 1024;

    private static final ObjectNode SCHEMA = Schema.object()
            .property("file_path", "string", "The absolute path to the file to read", true)
            .property("offset", "number",
                    "The line number to start reading from. Only provide if the file is too large to read at once",
                    false)
            .property("limit", "number",
                    "The number of lines to read. Only provide if the file is too large to read at once", false)
            .build();

    @Override
    public String name() {
        return "Read";
    }

    @Override
    public String description() {
        return "Reads a file from the local filesystem. Returns lines in cat -n format (line number, tab, text), up"
                + " to 2000 lines from the start by default; use offset and limit for long files. Lines longer than"
                + " 2000 characters are cut. Images (PNG, JPEG, GIF, WebP) and PDFs are shown to you as content."
                + " It cannot read directories; use Bash ls or Glob for those.";
    }

    @Override
    public ObjectNode inputSchema() {
        return SCHEMA.deepCopy();
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ToolResult run(JsonNode input, ToolContext context) {
        try {
            String raw = Input.requiredString(input, "file_path");
            Path file = PathGuard.resolve(context, raw);
            if (!Files.exists(file)) {
                return ToolResult.error("File does not exist: " + raw);
            }
            if (Files.isDirectory(file)) {
                return ToolResult.error(raw + " is a directory, not a file; use Bash ls or Glob to list it");
            }
            String mediaType = mediaType(file);
            if (mediaType != null) {
                return media(file, raw, mediaType);
            }
            Long offset = Input.optionalLong(input, "offset");
            Long limit = Input.optionalLong(input, "limit");
            long from = offset == null || offset < 1 ? 1 : offset;
            long count = limit == null || limit < 1 ? DEFAULT_LIMIT : limit;
            return text(file, raw, from, count);
        } catch (BadInput e) {
            return ToolResult.error(e.getMessage());
        } catch (IOException e) {
            return ToolResult.error("cannot read " + Json.text(input, "file_path") + ": " + e.getMessage());
        }
    }

    private static ToolResult text(Path file, String raw, long from, long count) throws IOException {
        StringBuilder out = new StringBuilder();
        long lineNo = 0;
        boolean more = false;
        try (InputStream in = Files.newInputStream(file)) {
            if (looksBinary(in)) {
                return ToolResult.error(raw + " looks like a binary file; use Bash (file, xxd) to inspect it");
            }
        }
        // InputStreamReader replaces malformed UTF-8 instead of failing: a stray byte should not hide a file.
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (lineNo < from) {
                    continue;
                }
                if (lineNo >= from + count) {
                    more = true;
                    break;
                }
                if (line.length() > MAX_LINE_CHARS) {
                    line = line.substring(0, MAX_LINE_CHARS) + "… [line cut]";
                }
                out.append(String.format(Locale.ROOT, "%6d\t", lineNo)).append(line).append('\n');
            }
        }
        if (lineNo == 0) {
            return ToolResult.ok("(the file " + raw + " exists but is empty)");
        }
        if (out.length() == 0) {
            return ToolResult.error("offset " + from + " is past the end of " + raw + " (" + lineNo + " lines)");
        }
        if (more) {
            out.append("… more lines follow; read on with offset=").append(from + count).append('\n');
        }
        return ToolResult.ok(out.toString());
    }

    /** NUL in the first 8 KiB, the usual heuristic (grep, git). */
    static boolean looksBinary(InputStream in) throws IOException {
        byte[] head = in.readNBytes(8192);
        for (byte b : head) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private static ToolResult media(Path file, String raw, String mediaType) throws IOException {
        long size = Files.size(file);
        if (size > MAX_MEDIA_BYTES) {
            return ToolResult.error(raw + " is " + size + " bytes; images and PDFs are read up to "
                    + MAX_MEDIA_BYTES + " bytes (5 MiB). Shrink it first (e.g. with Bash).");
        }
        if (size == 0) {
            return ToolResult.error(raw + " is empty");
        }
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        ObjectNode block = blocks.addObject();
        block.put("type", mediaType.equals("application/pdf") ? "document" : "image");
        ObjectNode source = block.putObject("source");
        source.put("type", "base64");
        source.put("media_type", mediaType);
        source.put("data", Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        return ToolResult.blocks(blocks);
    }

    static String mediaType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            case "pdf" -> "application/pdf";
            default -> null;
        };
    }
}
