package io.nanoclaw.host.selfmod;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.approvals.ApprovedAction;
import io.nanoclaw.host.containers.GroupRestarts;
import io.nanoclaw.host.containers.images.AgentGroupImages;
import io.nanoclaw.host.containers.images.ImageBuildException;
import io.nanoclaw.host.entities.Session;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/** An approved install: rebuild the group's image with the packages, then restart its containers onto it. */
@Singleton
public class InstallPackages implements ApprovedAction {
    @Inject
    AgentGroupImages images;
    @Inject
    GroupRestarts restarts;

    @Override
    public String action() {
        return "install_packages";
    }

    @Override
    public String apply(Session requester, JsonNode payload) throws Exception {
        List<String> apt = Strings.list(payload, "apt");
        List<String> npm = Strings.list(payload, "npm");
        String what = String.join(", ", concat(apt, npm));
        String tag;
        try {
            tag = images.build(requester.agentGroupId(), apt, npm);
        } catch (ImageBuildException e) {
            // its message already ends with the build output's last lines
            throw new Exception("the image build failed: " + e.getMessage());
        }
        restarts.restart(requester.agentGroupId(), "packages installed",
                "Your container restarted with the packages you asked for: " + what + ".");
        return "installed " + what + " (image " + tag + "); the container restarts onto it.";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
