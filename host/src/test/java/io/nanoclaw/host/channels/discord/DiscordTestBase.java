package io.nanoclaw.host.channels.discord;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.delivery.ActiveSessions;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the Discord tests share: the fake, the running adapter, chats wired to agents, and polling helpers. */
abstract class DiscordTestBase {
    static final String GUILD = "810000000000000001";
    static final String ALICE = "820000000000000001";
    static final String BOB = "820000000000000002";

    @Inject
    DiscordChannel adapter;
    @Inject
    CoreFixture fx;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Sessions sessions;
    @Inject
    DeliveryService delivery;
    @Inject
    SessionFolders folders;
    @Inject
    ActiveSessions active;

    final ObjectMapper mapper = new ObjectMapper();

    FakeDiscord fake() {
        return DiscordProfile.fake;
    }

    record Chat(AgentGroup ag, MessagingGroup mg) {}

    /** A Discord channel (a new snowflake) known to the host and wired to a new agent group. */
    Chat chat(boolean group, String engageMode) {
        return chat(fake().nextId(), group, engageMode);
    }

    Chat chat(String channelId, boolean group, String engageMode) {
        AgentGroup ag = fx.group("D");
        MessagingGroup mg = fx.db.inTransaction(c -> messagingGroups.create(c, "discord", channelId, "general", group,
                "public"));
        fx.wire(mg, ag, engageMode, "mention".equals(engageMode) ? null : ".", "all", "drop", "shared", 0);
        return new Chat(ag, mg);
    }

    void awaitConnected() {
        await("the adapter is connected", () -> adapter.isConnected() && fake().botOnline(), Duration.ofSeconds(20));
    }

    static void await(String what, BooleanSupplier cond, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("timed out waiting until " + what);
    }

    static <T> T awaitValue(String what, Supplier<T> s, Duration max) {
        Object[] box = new Object[1];
        await(what, () -> (box[0] = s.get()) != null, max);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }

    Session session(Chat c, String thread) {
        return awaitValue("a session for " + c.mg().platformId() + (thread == null ? "" : "/" + thread),
                () -> sessions.findActive(c.ag().id(), c.mg().id(), thread).orElse(null), Duration.ofSeconds(10));
    }

    /** Chat rows of a session's inbound.db: id, content (parsed), thread_id. */
    record Row(String id, JsonNode content, String threadId) {}

    List<Row> rows(Chat c, Session s) {
        try {
            return fx.inboundRows(c.ag().id(), s.id(), "SELECT id, content, thread_id FROM messages_in "
                    + "WHERE kind = 'chat' ORDER BY seq").stream().map(r -> {
                        try {
                            return new Row(r[0], mapper.readTree(r[1]), r[2]);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<Row> awaitRows(Chat c, String thread, int n) {
        Session s = session(c, thread);
        await(n + " inbound rows in " + c.mg().platformId(), () -> rows(c, s).size() >= n, Duration.ofSeconds(10));
        return rows(c, s);
    }

    /** A MESSAGE_CREATE from a user in a guild channel. */
    ObjectNode userMessage(String channelId, String userId, String name, String content) {
        return fake().message(fake().nextId(), channelId, GUILD, userId, name, false, content);
    }

    ObjectNode mentioning(ObjectNode m) {
        m.withArray("mentions").add(fake().user(FakeDiscord.BOT_ID, FakeDiscord.BOT_NAME, true));
        return m;
    }

    /** The agent's reply as the container writes it, then one delivery pass. */
    String reply(Chat c, Session s, String thread, String contentJson) throws Exception {
        quiet(s);
        String id = fx.containerWrites(c.ag().id(), s.id(), "discord", c.mg().platformId(), thread, "chat",
                contentJson);
        delivery.drain(s);
        return id;
    }

    /**
     * Waits until the host's fast delivery poll has let go of the session (it drains sessions that just got a
     * message), so the test's own drain is the one that delivers what the test writes next.
     */
    void quiet(Session s) {
        await("the fast delivery poll is done with " + s.id(), () -> !active.isInFlight(s.id()),
                Duration.ofSeconds(10));
    }

    /** Drains until the fake has a successful request on this route (delivery retries after its backoff). */
    void drainUntil(Session s, String method, String path, Duration max) {
        await("a successful " + method + " " + path, () -> {
            delivery.drain(s);
            return fake().requests(method, path).stream().anyMatch(r -> r.status() < 300);
        }, max);
    }
}
