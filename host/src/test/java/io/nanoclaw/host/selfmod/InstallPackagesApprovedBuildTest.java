package io.nanoclaw.host.selfmod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.routing.Router;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.AgentImage;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An approved install_packages end to end with a real image build on the real engine: request, card, the admin's
 * approval, the build. Builds run with the network off (no mirror may be reached from tests), so apt fails: the
 * agent is told why, and the group keeps the image it had.
 */
@QuarkusTest
@TestProfile(InstallPackagesApprovedBuildTest.OfflineBuilds.class)
class InstallPackagesApprovedBuildTest {
    public static class OfflineBuilds extends HostWithoutContainers {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            m.put("IMAGE_BUILD_NETWORK", "none");
            return m;
        }
    }

    @Inject
    Router router;
    @Inject
    DeliveryService delivery;
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    ChannelRegistry channels;

    @BeforeAll
    static void engineAndAgentImage() {
        AgentImage.ensure();
    }

    @Test
    void anApprovedInstallWhoseBuildFailsTellsTheAgentWhyAndChangesNothing() throws Exception {
        RecordingAdapter plain = new RecordingAdapter(CoreFixture.unique("ipk"), false);
        channels.register(plain);
        AgentGroup ag = fx.group("Builder");
        MessagingGroup chat = fx.chat(plain.channelType(), "home", false, "public");
        fx.wireAll(chat, ag);
        Session session = resolver.resolve(ag.id(), chat.id(), null, "shared");
        String admin = plain.channelType() + ":admin1";
        fx.role(admin, "admin", ag);

        fx.containerWrites(ag.id(), session.id(), null, null, null, "system",
                "{\"action\":\"install_packages\",\"apt\":[\"cowsay\"],\"reason\":\"fun\"}");
        delivery.drain(session);
        assertTrue(plain.textsTo("admin1").get(0).contains("apt: cowsay"));

        String content = "{\"text\":\"1\",\"sender\":\"admin1\",\"senderId\":\"admin1\"}";
        router.onInbound(plain.channelType(), "admin1", null, new InboundMessage(CoreFixture.unique("pm-"), "chat",
                content, "2026-01-01T00:00:00Z", false, false, "admin1", "admin1"));

        long end = System.currentTimeMillis() + 180_000;
        String note = null;
        while (note == null && System.currentTimeMillis() < end) {
            for (String[] r : fx.inboundRows(ag.id(), session.id(),
                    "SELECT content FROM messages_in WHERE channel_type = 'agent' ORDER BY seq")) {
                if (r[0].contains("install_packages")) {
                    note = r[0];
                }
            }
            Thread.sleep(200);
        }
        assertTrue(note != null && note.contains("was approved but failed: the image build failed"), String.valueOf(note));
        assertEquals(List.of(""), fx.db.query("SELECT coalesce(image_tag, '') FROM container_configs "
                + "WHERE agent_group_id = ?", r -> r.getString(1), ag.id()), "the group keeps the agent image");
        assertTrue(fx.db.query("SELECT packages_apt FROM container_configs WHERE agent_group_id = ? "
                + "AND packages_apt LIKE '%cowsay%'", r -> r.getString(1), ag.id()).isEmpty(),
                "the package is not recorded as installed");
    }
}
