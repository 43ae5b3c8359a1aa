package io.nanoclaw.host.entities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.db.DbException;
import io.nanoclaw.host.db.SchemaMigrator;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** host.md 10, DB #1-8 (#9, the lazy upgrade of old session DBs, has no counterpart: there are no old DBs). */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class CentralDbBehaviourTest {
    @Inject
    CoreFixture fx;
    @Inject
    SchemaMigrator migrator;
    @Inject
    Wirings wirings;
    @Inject
    Destinations destinations;
    @Inject
    Sessions sessions;
    @Inject
    SessionResolver resolver;

    @Test
    void migrationsAreIdempotent() { // #1
        assertFalse(migrator.migrate(), "nothing to do: the recorded checksum matches");
        fx.db.update("DELETE FROM install_meta WHERE key = 'schema_checksum'");
        assertTrue(migrator.migrate(), "Liquibase runs when the checksum is unknown");
        assertEquals(List.of(1), fx.db.query("SELECT COUNT(*) FROM DATABASECHANGELOG WHERE id = 'baseline'",
                r -> r.getInt(1)), "and applies the baseline only once");
        assertEquals(fx.db.query("SELECT id FROM DATABASECHANGELOG", r -> r.getString(1)).stream().distinct()
                .count(), (long) fx.db.query("SELECT id FROM DATABASECHANGELOG", r -> r.getString(1)).size(),
                "and every change set once");
        assertFalse(migrator.migrate());
    }

    @Test
    void agentGroupFoldersAreUniqueAndValidated() { // #2, #81
        String folder = CoreFixture.unique("same");
        AgentGroups groups = io.quarkus.arc.Arc.container().instance(AgentGroups.class).get();
        fx.db.inTransaction(c -> groups.create(c, "one", folder));
        assertThrows(DbException.class, () -> fx.db.inTransaction(c -> groups.create(c, "two", folder)));
        for (String bad : new String[] {"global", "../x", "", "-lead", "a b", "x".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> AgentGroups.validateFolder(bad), bad);
        }
        AgentGroups.validateFolder("main_2-ok");
    }

    @Test
    void messagingGroupsAreUniquePerChannelAndPlatformId() { // #3
        MessagingGroups mgs = io.quarkus.arc.Arc.container().instance(MessagingGroups.class).get();
        fx.db.inTransaction(c -> mgs.create(c, "test", "dup-1", null, false, "strict"));
        assertThrows(DbException.class,
                () -> fx.db.inTransaction(c -> mgs.create(c, "test", "dup-1", null, false, "strict")));
        fx.db.inTransaction(c -> mgs.create(c, "other", "dup-1", null, false, "strict"));
    }

    @Test
    void wiringsAreOrderedByPriorityUniquePerPairAndForeignKeysHold() { // #4
        AgentGroup a = fx.group("A");
        AgentGroup b = fx.group("B");
        MessagingGroup mg = fx.chat("test", "w", true, "public");
        fx.wire(mg, a, "pattern", ".", "all", "drop", "shared", 1);
        fx.wire(mg, b, "pattern", ".", "all", "drop", "shared", 5);
        assertEquals(List.of(b.id(), a.id()),
                wirings.forMessagingGroup(mg.id()).stream().map(Wiring::agentGroupId).toList());
        assertThrows(DbException.class, () -> fx.wireAll(mg, a));
        AgentGroup ghost = new AgentGroup("ag-ghost", "ghost", "ghost", "now");
        assertThrows(DbException.class, () -> fx.wireAll(mg, ghost));
    }

    @Test
    void wiringCreatesExactlyOneDestinationAndNameClashesGetASuffix() { // #5
        AgentGroup a = fx.group("A");
        MessagingGroup one = fx.chat("test", "Family Chat", true, "public");
        MessagingGroup two = fx.chat("other", "family chat", true, "public");
        fx.wireAll(one, a);
        fx.wireAll(two, a);
        assertEquals(List.of("family-chat", "family-chat-2"),
                destinations.projectionFor(a.id()).stream().map(Destinations.Projected::name).toList());
        fx.db.update("DELETE FROM messaging_group_agents WHERE messaging_group_id = ?", one.id());
        fx.wireAll(one, a);
        assertEquals(2, destinations.projectionFor(a.id()).size(), "re-wiring adds no second destination");
    }

    @Test
    void findSessionMatchesOnlyNullThreadOrTheExactThreadAndActiveOnly() { // #6
        AgentGroup a = fx.group("A");
        MessagingGroup mg = fx.chat("test", "s", true, "public");
        var shared = resolver.resolve(a.id(), mg.id(), null, "shared");
        var t1 = resolver.resolve(a.id(), mg.id(), "t1", "per-thread");
        assertEquals(shared.id(), sessions.findActive(a.id(), mg.id(), null).orElseThrow().id());
        assertEquals(t1.id(), sessions.findActive(a.id(), mg.id(), "t1").orElseThrow().id());
        assertTrue(sessions.findActive(a.id(), mg.id(), "t2").isEmpty());
        fx.db.update("UPDATE sessions SET status = 'closed' WHERE id = ?", t1.id());
        assertTrue(sessions.findActive(a.id(), mg.id(), "t1").isEmpty());
    }

    @Test
    void runningSessionsAreThoseRunningOrIdle() { // #7
        AgentGroup a = fx.group("A");
        MessagingGroup mg = fx.chat("test", "r", true, "public");
        var s1 = resolver.resolve(a.id(), mg.id(), "1", "per-thread");
        var s2 = resolver.resolve(a.id(), mg.id(), "2", "per-thread");
        var s3 = resolver.resolve(a.id(), mg.id(), "3", "per-thread");
        sessions.setContainerStatus(s1.id(), "running");
        sessions.setContainerStatus(s2.id(), "idle");
        List<String> running = sessions.running().stream().map(s -> s.id()).toList();
        assertTrue(running.contains(s1.id()) && running.contains(s2.id()) && !running.contains(s3.id()));
        sessions.setContainerStatus(s1.id(), "stopped");
        sessions.setContainerStatus(s2.id(), "stopped");
    }

    @Test
    void containerStatusIsResetAtStart() {
        AgentGroup a = fx.group("A");
        MessagingGroup mg = fx.chat("test", "reset", true, "public");
        var s = resolver.resolve(a.id(), mg.id(), null, "shared");
        sessions.setContainerStatus(s.id(), "running");
        assertTrue(sessions.resetContainerStatus() >= 1);
        assertEquals("stopped", sessions.byId(s.id()).orElseThrow().containerStatus());
    }

    @Test
    void pendingQuestionsRoundTrip() { // #8
        AgentGroup a = fx.group("A");
        MessagingGroup mg = fx.chat("test", "q", false, "public");
        var s = resolver.resolve(a.id(), mg.id(), null, "shared");
        fx.db.update("INSERT INTO pending_questions(question_id, session_id, message_out_id, platform_id, channel_type,"
                + " title, options_json, created_at) VALUES ('q-rt', ?, 'm1', 'p', 'test', 'T', '[]', 'now')", s.id());
        assertEquals(List.of("m1|T|[]"), fx.db.query("SELECT message_out_id || '|' || title || '|' || options_json "
                + "FROM pending_questions WHERE question_id = 'q-rt'", r -> r.getString(1)));
    }

    @Test
    void rolesAreUniqueAndOwnerIsGlobalOnly() {
        AgentGroup a = fx.group("A");
        fx.role("test:o", "owner", null);
        fx.role("test:o", "owner", null);
        assertEquals(List.of(1), fx.db.query("SELECT COUNT(*) FROM user_roles WHERE user_id = 'test:o'",
                r -> r.getInt(1)), "a global role is stored once (the original's NULL key allowed twins)");
        assertThrows(IllegalArgumentException.class, () -> fx.role("test:o2", "owner", a)); // #57
    }
}
