package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.nio.file.Path;
import java.util.List;

/** Runs a tool in a workspace made of a temp folder: it is both the working dir and the only allowed root. */
final class ToolFixture {
    private ToolFixture() {}

    static ToolContext context(Path workspace) {
        return new ToolContext(workspace, List.of(workspace), ToolContext.NO_LIVENESS);
    }

    static ToolResult run(Tool tool, Path workspace, String inputJson) {
        try {
            JsonNode input = Json.parse(inputJson);
            return tool.run(input, context(workspace));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A JSON string literal. */
    static String q(String s) {
        return Json.MAPPER.getNodeFactory().textNode(s).toString();
    }
}
