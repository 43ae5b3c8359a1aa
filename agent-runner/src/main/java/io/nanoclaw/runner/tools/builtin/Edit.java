package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Claude Code's Edit: an exact string replacement. The match must be unique unless replace_all, so the model
 * cannot silently edit the wrong spot.
 */
public final class Edit implements Tool {
    private static final ObjectNode SCHEMA = Schema.object()
            .property("file_path", "string", "The absolute path to the file to modify", true)
            .property("old_string", "string", "The text to replace", true)
            .property("new_string", "string",
                    "The text to replace it with (must be different from old_string)", true)
            .property("replace_all", "boolean", "Replace all occurences of old_string (default false)", false)
            .build();

    @Override
    public String name() {
        return "Edit";
    }

    @Override
    public String description() {
        return "Performs an exact string replacement in a file. old_string must occur exactly once in the file"
                + " (include enough surrounding context to make it unique) unless replace_all is true. Keep the"
                + " file's indentation exactly; do not include the line-number prefix that Read shows.";
    }

    @Override
    public ObjectNode inputSchema() {
        return SCHEMA.deepCopy();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public ToolResult run(JsonNode input, ToolContext context) {
        String raw = null;
        try {
            raw = Input.requiredString(input, "file_path");
            String oldString = Input.requiredString(input, "old_string");
            String newString = Input.requiredString(input, "new_string");
            boolean replaceAll = Input.optionalBoolean(input, "replace_all", false);
            Path file = PathGuard.resolve(context, raw);
            if (oldString.equals(newString)) {
                return ToolResult.error("old_string and new_string are the same; nothing to change");
            }
            if (!Files.exists(file)) {
                return ToolResult.error("File does not exist: " + raw);
            }
            if (Files.isDirectory(file)) {
                return ToolResult.error(raw + " is a directory, not a file");
            }
            if (oldString.isEmpty()) {
                return ToolResult.error("old_string is empty; use Write to replace a whole file");
            }
            String text = readUtf8(file, raw);
            int count = count(text, oldString);
            if (count == 0) {
                return ToolResult.error("old_string not found in " + raw
                        + " (it must match exactly, whitespace and indentation included)");
            }
            if (count > 1 && !replaceAll) {
                return ToolResult.error("old_string found " + count + " times in " + raw
                        + "; add surrounding context to make it unique, or set replace_all to true");
            }
            String updated = replaceAll ? text.replace(oldString, newString) : replaceOnce(text, oldString, newString);
            Files.writeString(file, updated, StandardCharsets.UTF_8);
            return ToolResult.ok("The file " + raw + " has been updated"
                    + (count > 1 ? " (" + count + " replacements)." : "."));
        } catch (BadInput e) {
            return ToolResult.error(e.getMessage());
        } catch (IOException e) {
            return ToolResult.error("cannot edit " + raw + ": " + e);
        }
    }

    /** Strict decoding: rewriting a file we decoded lossily would corrupt it. */
    private static String readUtf8(Path file, String raw) throws IOException, BadInput {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new BadInput(raw + " is not UTF-8 text; Edit cannot change it safely");
        }
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static String replaceOnce(String text, String oldString, String newString) {
        int i = text.indexOf(oldString);
        return text.substring(0, i) + newString + text.substring(i + oldString.length());
    }
}
