package io.nanoclaw.runner.tools.nanoclaw;

import static io.nanoclaw.runner.tools.nanoclaw.Args.orEmpty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.tools.ToolContext;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * install_packages (agent-runner.md 3.5): asks for packages in this group's image; an admin approves, the host
 * rebuilds and restarts. Names are checked here (the host checks again) so that a version spec or a shell
 * character is reported to the agent at once instead of after an approval round.
 */
final class InstallPackages extends NanoclawTool {
    static final Pattern APT = Pattern.compile("^[a-z0-9][a-z0-9._+-]*$");
    static final Pattern NPM = Pattern.compile("^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$");
    static final int MAX_PACKAGES = 20;

    private static final ObjectNode SCHEMA = SchemaBuilder.object()
            .property("apt", SchemaBuilder.stringArray("apt packages to install (names only, no version specs or"
                    + " flags)"), false)
            .property("npm", SchemaBuilder.stringArray("npm packages to install globally (names only, no version"
                    + " specs)"), false)
            .property("reason", "string", "Why these packages are needed", false)
            .build();

    InstallPackages(NanoclawToolEnv env) {
        super(env, "install_packages", "Install apt and/or npm packages into YOUR agent image. Needs admin"
                + " approval and returns at once; after approval the image is rebuilt and the container restarted,"
                + " and you are notified.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException {
        List<String> apt = Args.strings(input, "apt");
        List<String> npm = Args.strings(input, "npm");
        if (apt.isEmpty() && npm.isEmpty()) {
            throw new Refusal("At least one apt or npm package is required");
        }
        if (apt.size() + npm.size() > MAX_PACKAGES) {
            throw new Refusal("Maximum " + MAX_PACKAGES + " packages per request");
        }
        for (String p : apt) {
            if (!APT.matcher(p).matches()) {
                throw new Refusal("Invalid apt package name: \"" + p + "\". Only lowercase letters, digits, and"
                        + " ._+- allowed.");
            }
        }
        for (String p : npm) {
            if (!NPM.matcher(p).matches()) {
                throw new Refusal("Invalid npm package name: \"" + p + "\". No version specs or shell characters.");
            }
        }
        ObjectNode content = Json.object();
        content.put("action", "install_packages");
        apt.forEach(content.putArray("apt")::add);
        npm.forEach(content.putArray("npm")::add);
        content.put("reason", orEmpty(Args.text(input, "reason")));
        OutboundRows.write(env, new OutboundMessage(MessageIds.next("msg"), MessageKind.SYSTEM, content.toString(),
                null, null));
        return "Package install request submitted. You will be notified when admin approves or rejects.";
    }
}
