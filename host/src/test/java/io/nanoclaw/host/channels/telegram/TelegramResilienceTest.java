package io.nanoclaw.host.channels.telegram;

import static io.nanoclaw.host.channels.telegram.TelegramFixture.await;
import static io.nanoclaw.host.channels.telegram.TelegramFixture.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.channels.http.PlatformHttp;
import io.nanoclaw.host.channels.pairing.PairingCodes;
import io.nanoclaw.host.channels.telegram.TelegramFixture.Wired;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.routing.Router;
import io.nanoclaw.host.sessions.SessionResolver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Outages, 429s, restarts, bad input and a rejected token: nothing lost, nothing repeated, nothing else hurt. */
@QuarkusTest
@TestProfile(TelegramProfile.class)
class TelegramResilienceTest {
    @Inject
    TelegramFixture f;
    @Inject
    TelegramChannel telegram;
    @Inject
    ChannelRegistry channels;
    @Inject
    Router router;
    @Inject
    SessionResolver resolver;
    @Inject
    PlatformHttp http;
    @Inject
    HostConfig hostConfig;
    @Inject
    PairingCodes pairing;

    FakeTelegram tg = FakeTelegram.shared();

    @AfterEach
    void platformBack() {
        tg.outage(false);
    }

    private List<String> messageIds(List<String[]> rows) {
        return rows.stream().map(r -> r[0].substring(0, r[0].indexOf(':'))).toList();
    }

    private ObjectNode text(long uid, String text) {
        return tg.message(uid, "private", tg.user(uid, "Ivy", null, null), text);
    }

    @Test
    void anOutageInTheMiddleLosesAndRepeatsNoUpdate() {
        awaitTrue("connected", () -> telegram.isConnected());
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        ObjectNode before = text(uid, "before");
        tg.push("message", before);
        f.awaitRows(w, null, 1);

        long t0 = System.currentTimeMillis();
        tg.outage(true);
        ObjectNode m1 = text(uid, "during 1");
        ObjectNode m2 = text(uid, "during 2");
        tg.push("message", m1);
        tg.push("message", m2);
        // after a failed poll the adapter probes with getMe until Telegram answers again
        awaitTrue("a few failed tries", () -> tg.requests.stream().filter(r -> r.status() == 502
                && r.atMillis() >= t0 && r.method().matches("getUpdates|getMe")).count() >= 3);
        ChannelStatus down = telegram.status();
        assertEquals(ChannelStatus.State.CONNECTING, down.state());
        assertTrue(down.detail().startsWith("reconnecting in "), down.detail());
        assertTrue(down.detail().contains("502"), down.detail());

        tg.outage(false);
        f.awaitRows(w, null, 3);
        awaitTrue("connected again", () -> telegram.isConnected());
        ObjectNode after = text(uid, "after");
        tg.push("message", after);
        List<String[]> rows = f.awaitRows(w, null, 4);
        TelegramFixture.sleep(300);
        rows = f.chatRows(w, null);
        assertEquals(List.of(before.path("message_id").asText(), m1.path("message_id").asText(),
                m2.path("message_id").asText(), after.path("message_id").asText()), messageIds(rows));
    }

    @Test
    void aReplyDuringAnOutageIsRetriedAndSentOnce() throws Exception {
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        Session s = resolver.resolve(w.ag().id(), w.mg().id(), null, "shared");
        tg.outage(true);
        String out = f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(uid), null, "chat",
                "{\"text\":\"sent when the uplink is back\"}");
        f.delivery.drain(s);
        assertTrue(tg.calls("sendMessage", r -> r.status() == 502
                && String.valueOf(uid).equals(r.param("chat_id"))).size() >= 1);
        assertTrue(tg.sent("sendMessage", uid).isEmpty());

        tg.outage(false);
        await("the retry", () -> {
            f.delivery.drain(s);
            return tg.sent("sendMessage", uid).isEmpty() ? null : true;
        });
        f.awaitDelivered(w, s, out);
        f.delivery.drain(s);
        assertEquals(1, tg.sent("sendMessage", uid).size());
        assertEquals("sent when the uplink is back", tg.sent("sendMessage", uid).get(0).param("text"));
    }

    @Test
    void a429OnPollingIsWaitedOutForRetryAfter() {
        awaitTrue("connected", () -> telegram.isConnected());
        long t0 = System.currentTimeMillis();
        tg.rateLimitNext("getUpdates", 2);
        FakeTelegram.Request limited = await("a 429", () -> tg.calls("getUpdates",
                r -> r.status() == 429 && r.atMillis() >= t0).stream().findFirst().orElse(null));
        FakeTelegram.Request next = await("the next poll", () -> tg.calls("getUpdates",
                        r -> r.atMillis() > limited.atMillis()).stream().min(Comparator.comparingLong(
                        FakeTelegram.Request::atMillis)).orElse(null));
        long waited = next.atMillis() - limited.atMillis();
        assertTrue(waited >= 1900, "waited " + waited + " ms for retry_after 2");
        awaitTrue("connected again", () -> telegram.isConnected());
    }

    @Test
    void a429OnSendingSaysHowLongToWaitAndTheRowGoesOutAfterIt() throws Exception {
        long uid = TelegramFixture.newUserId();
        tg.rateLimitNext("sendMessage", 3);
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> telegram.deliver(
                String.valueOf(uid), null, new OutboundMessage(null, "chat", f.mapper.createObjectNode()
                        .put("text", "x"), List.of())));
        assertEquals(Duration.ofSeconds(3), e.retryAfter());
        assertTrue(!e.getMessage().contains(FakeTelegram.TOKEN), "no token in errors");

        Wired w = f.wireAll(uid, false);
        Session s = resolver.resolve(w.ag().id(), w.mg().id(), null, "shared");
        tg.rateLimitNext("sendMessage", 1);
        f.fx.containerWrites(w.ag().id(), s.id(), "telegram", String.valueOf(uid), null, "chat",
                "{\"text\":\"patience\"}");
        f.delivery.drain(s);
        FakeTelegram.Request limited = tg.calls("sendMessage", r -> r.status() == 429).get(1);
        assertTrue(tg.sent("sendMessage", uid).isEmpty());
        FakeTelegram.Request ok = await("the send after the wait", () -> {
            f.delivery.drain(s);
            return tg.sent("sendMessage", uid).stream().findFirst().orElse(null);
        });
        assertTrue(ok.atMillis() - limited.atMillis() >= 1000, "retry_after honoured");
        assertEquals(1, tg.sent("sendMessage", uid).size());
    }

    @Test
    void aRestartResumesFromTheStoredOffset() throws Exception {
        awaitTrue("connected", () -> telegram.isConnected());
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        ObjectNode m1 = text(uid, "one");
        long u1 = tg.push("message", m1);
        f.awaitRows(w, null, 1);
        awaitTrue("offset stored", () -> storedOffset() == u1 + 1);

        telegram.stop();
        assertEquals(ChannelStatus.State.STOPPED, telegram.status().state());
        ObjectNode m2 = text(uid, "two");
        ObjectNode m3 = text(uid, "three");
        tg.push("message", m2);
        tg.push("message", m3);
        TelegramFixture.sleep(300);
        assertEquals(1, f.chatRows(w, null).size(), "nothing is handled while stopped");
        assertEquals(u1 + 1, storedOffset());

        long t0 = System.currentTimeMillis();
        telegram.start(router);
        f.awaitRows(w, null, 3);
        FakeTelegram.Request first = tg.calls("getUpdates", r -> r.atMillis() >= t0).stream()
                .min(Comparator.comparingLong(FakeTelegram.Request::atMillis)).orElseThrow();
        assertEquals(String.valueOf(u1 + 1), first.param("offset"));
        TelegramFixture.sleep(300);
        assertEquals(List.of(m1.path("message_id").asText(), m2.path("message_id").asText(),
                m3.path("message_id").asText()), messageIds(f.chatRows(w, null)));
        awaitTrue("connected", () -> telegram.isConnected());
    }

    private long storedOffset() {
        try {
            return Long.parseLong(Files.readString(telegram.offsetPath()).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Test
    void updatesWithMissingFieldsOrOfUnknownKindsAreSkipped() {
        awaitTrue("connected", () -> telegram.isConnected());
        long uid = TelegramFixture.newUserId();
        Wired w = f.wireAll(uid, false);
        ObjectNode from = tg.user(uid, "Jo", null, null);
        tg.push(null, null);
        tg.push("message", f.mapper.getNodeFactory().textNode("not an object"));
        tg.push("message", f.mapper.createObjectNode());
        ObjectNode noSender = text(uid, "no sender");
        noSender.remove("from");
        tg.push("message", noSender);
        ObjectNode badId = text(uid, "bad id");
        badId.put("message_id", "abc");
        tg.push("message", badId);
        ObjectNode service = text(uid, null);
        service.put("new_chat_title", "renamed");
        tg.push("message", service);
        ObjectNode channelPost = tg.message(TelegramFixture.newGroupId(), "channel", from, "a channel post");
        tg.push("message", channelPost);
        tg.push("edited_message", f.mapper.createObjectNode().put("message_id", 5));
        ObjectNode noEditDate = text(uid, "edited without a date");
        tg.push("edited_message", noEditDate);
        tg.push("poll", f.mapper.createObjectNode().put("id", "p1").put("question", "?"));
        tg.push("my_chat_member", f.mapper.createObjectNode().put("date", 1));
        tg.push("callback_query", f.mapper.createObjectNode().put("id", "never-issued"));
        ObjectNode good = text(uid, "the one that counts");
        long last = tg.push("message", good);

        List<String[]> rows = f.awaitRows(w, null, 1);
        awaitTrue("offset past all", () -> storedOffset() == last + 1);
        rows = f.chatRows(w, null);
        assertEquals(1, rows.size());
        assertEquals("the one that counts", f.json(rows.get(0)[1]).path("text").asText());
        assertTrue(telegram.isConnected());
    }

    @Test
    void aRejectedTokenFailsThisChannelOnlyWithAClearReasonAndNoRetries() throws Exception {
        String badToken = "999:wrong";
        TelegramChannel bad = new TelegramChannel();
        bad.http = http;
        bad.hostConfig = hostConfig;
        bad.pairing = pairing;
        Map<String, String> settings = Map.of("TELEGRAM_BOT_TOKEN", badToken, "TELEGRAM_API_BASE_URL",
                tg.baseUrl(), "TELEGRAM_POLL_TIMEOUT", "1");
        bad.config = TelegramConfig.from(k -> Optional.ofNullable(settings.get(k)));
        bad.offsetFile = Files.createTempDirectory("tg-bad").resolve("telegram.offset");
        List<InboundMessage> got = new CopyOnWriteArrayList<>();
        bad.start((ct, p, t, m) -> got.add(m));

        awaitTrue("failed", () -> bad.status().state() == ChannelStatus.State.FAILED);
        assertEquals("the bot token was rejected (401 Unauthorized)", bad.status().detail());
        assertEquals(1, tg.requests.stream().filter(r -> badToken.equals(r.token())).count());
        TelegramFixture.sleep(1500);
        IOException e = assertThrows(IOException.class, () -> bad.deliver("1", null, new OutboundMessage(null,
                "chat", f.mapper.createObjectNode().put("text", "x"), List.of())));
        assertTrue(e.getMessage().contains("rejected"), e.getMessage());
        assertEquals(1, tg.requests.stream().filter(r -> badToken.equals(r.token())).count(),
                "no retry loop, no sends");
        assertEquals(ChannelStatus.State.FAILED, bad.status().state());

        awaitTrue("the configured Telegram channel runs on", () -> telegram.isConnected());
        assertTrue(channels.get("cli").orElseThrow().isConnected(), "other channels run on");
    }
}
