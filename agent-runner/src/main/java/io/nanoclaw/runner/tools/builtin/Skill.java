package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.skills.SkillCatalog;
import io.nanoclaw.runner.skills.SkillInfo;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Claude Code's Skill: loads a skill's instructions (its SKILL.md body) into the conversation. The first line names
 * the skill's folder, as Claude Code's does, so the scripts and files the skill refers to resolve. The skills
 * themselves are listed in the system prompt, not here, so this description stays byte-stable.
 */
public final class Skill implements Tool {
    private static final ObjectNode SCHEMA = Schema.object()
            .property("skill", "string", "The skill name. E.g., \"commit\", \"review-pr\", or \"pdf\"", true)
            .property("args", "string", "Optional arguments for the skill", false)
            .build();

    private final SkillCatalog catalog;

    public Skill(SkillCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "Skill";
    }

    @Override
    public String description() {
        return "Execute a skill within the main conversation. Skills provide specialized instructions and domain"
                + " knowledge; the available ones are listed in the system prompt with their descriptions. When a"
                + " request matches a skill, or the user names one as a slash command (\"/welcome\"), call this tool"
                + " with the skill's name (and optional args) before doing the task, then follow the instructions it"
                + " returns. Do not call it for a skill whose instructions are already in this conversation.";
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
        String requested;
        String args;
        try {
            requested = Input.requiredString(input, "skill").strip();
            args = Input.optionalString(input, "args");
        } catch (BadInput e) {
            return ToolResult.error(e.getMessage());
        }
        String name = requested.startsWith("/") ? requested.substring(1).strip() : requested;
        Optional<SkillInfo> skill = lookup(name);
        if (skill.isEmpty()) {
            return ToolResult.error(unknown(requested));
        }
        Optional<String> body = catalog.body(skill.get().name());
        if (body.isEmpty()) {
            return ToolResult.error("The skill " + skill.get().name() + " could not be read (its SKILL.md is"
                    + " missing or unreadable now).");
        }
        return ToolResult.ok("Base directory for this skill: " + skill.get().dir() + "\n\n"
                + withArguments(body.get(), args));
    }

    /** Exact name first; then ignoring case, since models sometimes capitalise a name from prose. */
    private Optional<SkillInfo> lookup(String name) {
        Optional<SkillInfo> exact = catalog.find(name);
        if (exact.isPresent()) {
            return exact;
        }
        return catalog.skills().stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }

    private String unknown(String requested) {
        if (catalog.skills().isEmpty()) {
            return "Unknown skill: " + requested + ". No skills are installed.";
        }
        return "Unknown skill: " + requested + ". Available skills: "
                + catalog.skills().stream().map(SkillInfo::name).collect(Collectors.joining(", "));
    }

    /** As Claude Code does for skills and commands: $ARGUMENTS is replaced, or the arguments are appended. */
    static String withArguments(String body, String args) {
        String a = args == null ? "" : args.strip();
        if (body.contains("$ARGUMENTS")) {
            return body.replace("$ARGUMENTS", a);
        }
        return a.isEmpty() ? body : body.stripTrailing() + "\n\nARGUMENTS: " + a + "\n";
    }
}
