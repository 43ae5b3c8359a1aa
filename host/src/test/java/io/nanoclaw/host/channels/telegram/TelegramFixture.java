package io.nanoclaw.host.channels.telegram;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.testkit.CoreFixture;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Chats wired to fresh agent groups, and waits for what the polling thread does. */
@Singleton
public class TelegramFixture {
    private static final AtomicLong USERS = new AtomicLong(40_000_000L);
    private static final AtomicLong GROUPS = new AtomicLong(1_000_000L);

    @Inject
    public CoreFixture fx;
    @Inject
    public Db db;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Sessions sessions;
    @Inject
    public DeliveryService delivery;

    public final FakeTelegram tg = FakeTelegram.shared();
    public final ObjectMapper mapper = new ObjectMapper();

    public record Wired(AgentGroup ag, MessagingGroup mg, long chatId) {}

    public static long newUserId() {
        return USERS.incrementAndGet();
    }

    /** A supergroup id, as Telegram gives them (-100…). */
    public static long newGroupId() {
        return -1_000_000_000_000L - GROUPS.incrementAndGet();
    }

    /** A Telegram chat wired to a new agent group (public, so any sender gets through). */
    public Wired wire(long chatId, boolean isGroup, String engageMode, String pattern) {
        AgentGroup ag = fx.group("T");
        MessagingGroup mg = db.inTransaction(c -> messagingGroups.create(c, TelegramChannel.CHANNEL_TYPE,
                String.valueOf(chatId), "tg" + chatId, isGroup, "public"));
        fx.wire(mg, ag, engageMode, pattern, "all", "drop", "shared", 0);
        return new Wired(ag, mg, chatId);
    }

    public Wired wireAll(long chatId, boolean isGroup) {
        return wire(chatId, isGroup, "pattern", ".");
    }

    public Optional<Session> session(Wired w, String thread) {
        return sessions.findActive(w.ag().id(), w.mg().id(), thread);
    }

    public Session awaitSession(Wired w, String thread) {
        return await("a session for " + w.chatId(), () -> session(w, thread).orElse(null));
    }

    /** Chat rows of the session: id, content, platform_id, channel_type, thread_id. */
    public List<String[]> chatRows(Wired w, String thread) {
        Optional<Session> s = session(w, thread);
        if (s.isEmpty()) {
            return List.of();
        }
        try {
            return fx.inboundRows(w.ag().id(), s.get().id(), "SELECT id, content, platform_id, channel_type, "
                    + "thread_id FROM messages_in WHERE kind = 'chat' ORDER BY seq");
        } catch (Exception e) {
            return List.of();
        }
    }

    public List<String[]> awaitRows(Wired w, String thread, int n) {
        return await(n + " chat row(s) in " + w.chatId(), () -> {
            List<String[]> rows = chatRows(w, thread);
            return rows.size() >= n ? rows : null;
        });
    }

    /**
     * At least {@code n} successful calls of a method to a chat. Waits: a session woken by an inbound message is
     * also drained by the host's fast in-flight poller, which may win the race against a test's own drain.
     */
    public List<FakeTelegram.Request> awaitSent(String method, long chatId, int n) {
        return await(n + " " + method + " to " + chatId, () -> {
            List<FakeTelegram.Request> r = tg.sent(method, chatId);
            return r.size() >= n ? r : null;
        });
    }

    /** The platform message id recorded for an outbound row, once delivered. */
    public String awaitDelivered(Wired w, Session s, String outRowId) {
        return await("delivery of " + outRowId, () -> {
            try {
                List<String[]> r = fx.inboundRows(w.ag().id(), s.id(), "SELECT platform_message_id FROM delivered "
                        + "WHERE message_out_id = '" + outRowId + "'");
                return r.isEmpty() ? null : String.valueOf(r.get(0)[0]);
            } catch (Exception e) {
                return null;
            }
        });
    }

    public JsonNode json(String s) {
        try {
            return mapper.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static <T> T await(String what, Supplier<T> probe) {
        return await(what, Duration.ofSeconds(20), probe);
    }

    public static <T> T await(String what, Duration max, Supplier<T> probe) {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            T v = probe.get();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            sleep(50);
        }
        fail("timed out waiting for " + what);
        return null;
    }

    public static void awaitTrue(String what, BooleanSupplier probe) {
        await(what, () -> probe.getAsBoolean() ? Boolean.TRUE : null);
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
