package io.nanoclaw.host.channels.slack;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;

/** What the Slack tests share: the fake, the host's parts, and waiting for things to happen. */
abstract class SlackTestBase {
    @Inject
    CoreFixture fx;
    @Inject
    Sessions sessions;
    @Inject
    DeliveryService delivery;
    @Inject
    ChannelRegistry channels;

    final ObjectMapper mapper = new ObjectMapper();
    FakeSlack fake;

    @BeforeEach
    void connected() {
        fake = HostWithFakeSlack.fake;
        fake.addUser("U100", "Alice");
        fake.addUser("U200", "Bob");
        await("the Slack channel is connected", () -> adapter().isConnected(), 15_000);
    }

    ChannelAdapter adapter() {
        return channels.get("slack").orElseThrow(() -> new AssertionError("no slack adapter registered: "
                + channels.statuses()));
    }

    ChannelStatus status() {
        return adapter().status();
    }

    record Chat(AgentGroup ag, MessagingGroup mg) {
        String channel() {
            return mg.platformId();
        }
    }

    /** A Slack chat wired to a fresh agent group: every message when {@code engage} is "pattern", else mentions. */
    Chat chat(boolean isGroup, String engage) {
        AgentGroup ag = fx.group("S");
        MessagingGroup mg = fx.chat("slack", "general", isGroup, "public");
        fx.wire(mg, ag, engage, engage.equals("pattern") ? "." : null, "all", "drop", "shared", 0);
        return new Chat(ag, mg);
    }

    Session session(Chat c, String thread) {
        return await("a session for " + c.channel() + " thread " + thread,
                () -> sessions.findActive(c.ag().id(), c.mg().id(), thread), LONG);
    }

    /** Chat rows of a session: {id, content, thread_id}. */
    List<String[]> rows(Chat c, Session s) throws Exception {
        return fx.inboundRows(c.ag().id(), s.id(), "SELECT id, content, thread_id FROM messages_in WHERE "
                + "kind = 'chat' ORDER BY seq");
    }

    List<String[]> awaitRows(Chat c, Session s, int n) {
        return await(n + " row(s) in session " + s.id(), () -> {
            try {
                List<String[]> r = rows(c, s);
                return r.size() >= n ? Optional.of(r) : Optional.empty();
            } catch (Exception e) {
                return Optional.empty();
            }
        }, LONG);
    }

    /**
     * Drains until {@code cond} holds. The router's fast-delivery poller may be draining the same session (it was
     * just woken), and a drain that finds the session locked returns at once, so one call is not enough.
     */
    void drainUntil(Session s, String what, BooleanSupplier cond) {
        await(what, () -> {
            delivery.drain(s);
            return cond.getAsBoolean();
        }, LONG);
    }

    /** Long enough to ride out one stalled platform call (PlatformHttp's 30 s timeout) and a retry. */
    static final long LONG = 45_000;

    JsonNode json(String s) {
        try {
            return mapper.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void await(String what, BooleanSupplier cond, long ms) {
        long end = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < end) {
            if (cond.getAsBoolean()) {
                return;
            }
            sleep(50);
        }
        fail("timed out waiting for: " + what);
    }

    static <T> T await(String what, Supplier<Optional<T>> value, long ms) {
        long end = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < end) {
            Optional<T> v = value.get();
            if (v.isPresent()) {
                return v.get();
            }
            sleep(50);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
