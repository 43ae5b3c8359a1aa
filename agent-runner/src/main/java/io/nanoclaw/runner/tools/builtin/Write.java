package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Claude Code's Write: creates or overwrites a file, creating missing parent folders. */
public final class Write implements Tool {
    private static final ObjectNode SCHEMA = Schema.object()
            .property("file_path", "string",
                    "The absolute path to the file to write (must be absolute, not relative)", true)
            .property("content", "string", "The content to write to the file", true)
            .build();

    @Override
    public String name() {
        return "Write";
    }

    @Override
    public String description() {
        return "Writes a file to the local filesystem, overwriting it if it exists and creating missing parent"
                + " folders. Prefer Edit for changing part of an existing file.";
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
            String content = Input.requiredString(input, "content");
            Path file = PathGuard.resolve(context, raw);
            if (Files.isDirectory(file)) {
                return ToolResult.error(raw + " is a directory");
            }
            boolean existed = Files.exists(file);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return ToolResult.ok(existed
                    ? "The file " + raw + " has been updated."
                    : "File created successfully at: " + raw);
        } catch (BadInput e) {
            return ToolResult.error(e.getMessage());
        } catch (IOException e) {
            return ToolResult.error("cannot write " + raw + ": " + e);
        }
    }
}
