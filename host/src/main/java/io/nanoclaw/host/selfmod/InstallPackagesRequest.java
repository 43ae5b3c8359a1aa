package io.nanoclaw.host.selfmod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.approvals.ApprovalRequests;
import io.nanoclaw.host.containers.images.PackageNames;
import io.nanoclaw.host.delivery.AgentNotes;
import io.nanoclaw.host.delivery.SystemActionHandler;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * {@code install_packages{apt[], npm[], reason}} (host.md 6.3): checked here, so an admin is only ever asked about
 * a well-formed request; a bad one is answered to the agent and no card is sent.
 */
@Singleton
public class InstallPackagesRequest implements SystemActionHandler {
    @Inject
    ApprovalRequests approvals;
    @Inject
    AgentNotes notes;

    @Override
    public String action() {
        return "install_packages";
    }

    @Override
    public void handle(Session session, JsonNode content) {
        List<String> apt;
        List<String> npm;
        try {
            apt = Strings.list(content, "apt");
            npm = Strings.list(content, "npm");
            PackageNames.validateRequest(apt, npm);
        } catch (IllegalArgumentException e) {
            notes.tellAndWake(session, "install_packages failed: " + e.getMessage());
            return;
        }
        String reason = content.path("reason").asText("").strip();
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        apt.forEach(payload.putArray("apt")::add);
        npm.forEach(payload.putArray("npm")::add);
        StringBuilder q = new StringBuilder("The agent asks to install:");
        if (!apt.isEmpty()) {
            q.append("\napt: ").append(String.join(", ", apt));
        }
        if (!npm.isEmpty()) {
            q.append("\nnpm: ").append(String.join(", ", npm));
        }
        if (!reason.isEmpty()) {
            q.append("\nReason: ").append(reason.length() > 500 ? reason.substring(0, 500) + "…" : reason);
        }
        approvals.request(session, action(), payload, "📦 Install packages", q.toString());
    }
}
