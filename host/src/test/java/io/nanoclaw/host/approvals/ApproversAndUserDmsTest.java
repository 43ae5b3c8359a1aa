package io.nanoclaw.host.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.UserDms;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** host.md 10, items 57-60: roles, ensureUserDm, the approver order and the same-channel preference. */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class ApproversAndUserDmsTest {
    @Inject
    CoreFixture fx;
    @Inject
    Approvers approvers;
    @Inject
    UserDms dms;
    @Inject
    ChannelRegistry channels;
    @Inject
    MessagingGroups messagingGroups;

    private String channel() {
        String ct = CoreFixture.unique("dm").replaceAll("[^a-z0-9]", "");
        channels.register(new RecordingAdapter(ct, false));
        return ct;
    }

    @Test
    void anOwnerRoleCannotBeScopedToAnAgentGroup() {
        AgentGroup g = fx.group(CoreFixture.unique("own"));
        String ct = channel();
        assertThrows(IllegalArgumentException.class, () -> fx.role(ct + ":o", "owner", g));
    }

    @Inject
    io.nanoclaw.host.entities.Users users;

    @Test
    void ensureUserDmUsesTheHandleCachesAndReusesAnExistingChat() {
        String ct = channel();
        assertEquals(Optional.empty(), dms.ensure(ct + ":alice"), "an unknown user gets no DM");
        users.upsert(ct + ":alice", ct, "Alice");
        MessagingGroup dm = dms.ensure(ct + ":alice").orElseThrow();
        assertEquals(ct, dm.channelType());
        assertEquals("alice", dm.platformId(), "without openDM the handle is the platform id");
        assertEquals(dm.id(), dms.ensure(ct + ":alice").orElseThrow().id(), "cached");

        MessagingGroup existing = fx.chat(ct, "bob-chat", false, "strict");
        users.upsert(ct + ":" + existing.platformId(), ct, "Bob");
        MessagingGroup bob = dms.ensure(ct + ":" + existing.platformId()).orElseThrow();
        assertEquals(existing.id(), bob.id(), "an existing chat with that id is reused, not duplicated");

        assertEquals(Optional.empty(), dms.ensure(null));
        assertEquals(Optional.empty(), dms.ensure("no-colon"));
        assertEquals(Optional.empty(), dms.ensure(ct + ":"));
        assertEquals(Optional.empty(), dms.ensure("nochannel" + System.nanoTime() + ":x"), "no adapter: no DM");
    }

    @Test
    void approversAreGroupAdminsThenGlobalAdminsThenOwnersEachOnce() {
        AgentGroup g = fx.group(CoreFixture.unique("appr"));
        String ct = channel();
        fx.role(ct + ":owner1", "owner", null);
        fx.role(ct + ":global1", "admin", null);
        fx.role(ct + ":scoped1", "admin", g);
        fx.role(ct + ":scoped2", "admin", g);
        fx.role(ct + ":owner1", "admin", g); // also a scoped admin: listed once, as an admin of the group
        List<String> mine = approvers.ordered(g.id()).stream().filter(u -> u.startsWith(ct + ":")).toList();
        assertEquals(List.of(ct + ":scoped1", ct + ":scoped2", ct + ":owner1", ct + ":global1"), mine);
    }

    @Test
    void theCardGoesToAnApproverOnTheOriginsChannelWhenThereIsOne() {
        AgentGroup g = fx.group(CoreFixture.unique("pick"));
        String first = channel();
        String second = channel();
        fx.role(first + ":admin-a", "admin", g);
        fx.role(second + ":admin-b", "admin", g);
        assertEquals(first + ":admin-a", approvers.pick(g.id(), null).orElseThrow().userId(), "the first in order");
        Approvers.Target t = approvers.pick(g.id(), second).orElseThrow();
        assertEquals(second + ":admin-b", t.userId(), "same-channel preference");
        assertEquals(second, t.dm().channelType());
        assertEquals(first + ":admin-a", approvers.pick(g.id(), "nosuchchannel").orElseThrow().userId(),
                "no approver on that channel: the first reachable one");
    }
}
