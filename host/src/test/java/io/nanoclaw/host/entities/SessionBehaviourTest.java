package io.nanoclaw.host.entities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.sessions.DestinationProjection;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** host.md 10, session manager #10-12, #15, #16, and destination projection (4.10). */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class SessionBehaviourTest {
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    SessionFolders folders;
    @Inject
    Sessions sessions;
    @Inject
    InboundWriter inbound;
    @Inject
    DestinationProjection projection;

    @Test
    void theSessionFolderOutboxAndBothSchemasAreCreated() throws Exception { // #10
        AgentGroup a = fx.group("A");
        MessagingGroup mg = fx.chat("test", "f", false, "public");
        Session s = resolver.resolve(a.id(), mg.id(), null, "shared");
        var dir = folders.sessionDir(a.id(), s.id());
        assertTrue(Files.isDirectory(dir.resolve("outbox")) && Files.isDirectory(dir.resolve("inbox")));
        assertEquals(4, fx.inboundRows(a.id(), s.id(), "SELECT name FROM sqlite_master WHERE type = 'table'").size());
        assertTrue(Files.exists(dir.resolve("outbound.db")));
    }

    @Test
    void sharedReusesAndPerThreadIsolatesAndReuses() { // #11
        AgentGroup a = fx.group("A");
        MessagingGroup mg = fx.chat("test", "m", true, "public");
        assertEquals(resolver.resolve(a.id(), mg.id(), null, "shared").id(),
                resolver.resolve(a.id(), mg.id(), "ignored-thread", "shared").id());
        Session t1 = resolver.resolve(a.id(), mg.id(), "t1", "per-thread");
        assertNotEquals(t1.id(), resolver.resolve(a.id(), mg.id(), "t2", "per-thread").id());
        assertEquals(t1.id(), resolver.resolve(a.id(), mg.id(), "t1", "per-thread").id());
    }

    @Test
    void aWriteBumpsLastActive() throws Exception { // #12
        AgentGroup a = fx.group("A");
        MessagingGroup mg = fx.chat("test", "la", false, "public");
        Session s = resolver.resolve(a.id(), mg.id(), null, "shared");
        fx.db.update("UPDATE sessions SET last_active = '2000-01-01T00:00:00Z' WHERE id = ?", s.id());
        inbound.write(a.id(), s.id(), InboundRow.chat("x1", "chat", mg.platformId(), "test", null, "{}", true));
        assertTrue(sessions.byId(s.id()).orElseThrow().lastActive().startsWith("20"));
        assertNotEquals("2000-01-01T00:00:00Z", sessions.byId(s.id()).orElseThrow().lastActive());
    }

    @Test
    void sessionRoutingIsTheChatAddressNullWithoutAChatAndKeepsTheThread() throws Exception { // #15
        AgentGroup a = fx.group("A");
        MessagingGroup mg = fx.chat("test", "route", true, "public");
        Session t = resolver.resolve(a.id(), mg.id(), "th-1", "per-thread");
        projection.project(t);
        assertEquals("test|" + mg.platformId() + "|th-1", fx.inboundRows(a.id(), t.id(),
                "SELECT channel_type || '|' || platform_id || '|' || thread_id FROM session_routing").get(0)[0]);
        Session none = resolver.resolve(a.id(), null, null, "shared");
        projection.project(none);
        String[] r = fx.inboundRows(a.id(), none.id(), "SELECT channel_type, platform_id FROM session_routing")
                .get(0);
        assertNull(r[0]);
        assertNull(r[1]);
    }

    @Test
    void agentSharedResolveIsIdempotentAndAcceptsNoChat() { // #16
        AgentGroup a = fx.group("A");
        Session s = resolver.resolve(a.id(), null, null, "agent-shared");
        MessagingGroup mg = fx.chat("test", "any", false, "public");
        assertEquals(s.id(), resolver.resolve(a.id(), mg.id(), null, "agent-shared").id());
        assertEquals(s.id(), resolver.resolve(a.id(), null, null, "agent-shared").id());
    }

    @Test
    void everyChangeToDestinationsIsReprojectedIntoActiveSessions() throws Exception {
        AgentGroup a = fx.group("A");
        MessagingGroup first = fx.chat("test", "first", false, "public");
        fx.wireAll(first, a);
        Session s1 = resolver.resolve(a.id(), first.id(), null, "shared");
        Session s2 = resolver.resolve(a.id(), first.id(), "a-thread", "per-thread");
        projection.project(s1);
        MessagingGroup second = fx.chat("test", "second", false, "public");
        fx.wireAll(second, a);
        assertEquals(2, projection.reproject(a.id()));
        for (Session s : List.of(s1, s2)) {
            assertEquals(List.of("first", "second"), fx.inboundRows(a.id(), s.id(),
                    "SELECT name FROM destinations ORDER BY name").stream().map(r -> r[0]).toList());
        }
    }
}
