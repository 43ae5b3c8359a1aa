package io.nanoclaw.host.channels.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.http.PlatformHttp;
import io.nanoclaw.host.entities.Session;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outages and refusals against {@link FakeDiscord}: a dropped socket resumed without losing or repeating a message,
 * op 7 and op 9, heartbeats and a zombie connection, 502s and 429s on REST, rejected tokens, and gateway input the
 * adapter must shrug off.
 */
@QuarkusTest
@TestProfile(DiscordProfile.class)
class DiscordResilienceTest extends DiscordTestBase {
    @Inject
    PlatformHttp http;
    @Inject
    Vertx vertx;

    @BeforeEach
    void connected() {
        awaitConnected();
    }

    private int ops(int op) {
        return fake().gatewayOps(op).size();
    }

    @Test
    void aDroppedSocketIsResumedAndTheMissedMessagesArriveOnceInOrder() {
        Chat c = chat(true, "pattern");
        String cid = c.mg().platformId();
        ObjectNode m1 = userMessage(cid, ALICE, "alice", "one");
        long seq1 = fake().dispatch("MESSAGE_CREATE", m1);
        awaitRows(c, null, 1);
        int identifies = ops(2);
        int resumes = ops(6);

        fake().dropSocket();
        ObjectNode m2 = userMessage(cid, ALICE, "alice", "two");
        ObjectNode m3 = userMessage(cid, BOB, "bob", "three");
        fake().dispatch("MESSAGE_CREATE", m2); // while the bot is away: replayed on Resume
        fake().dispatch("MESSAGE_CREATE", m3);

        await("a Resume", () -> ops(6) > resumes, Duration.ofSeconds(15));
        JsonNode resume = fake().gatewayOps(6).get(resumes).path("d");
        assertEquals(fake().mainSessionId(), resume.path("session_id").asText());
        assertEquals(seq1, resume.path("seq").asLong(), "resumes from the last event it saw");
        assertEquals(FakeDiscord.TOKEN, resume.path("token").asText());
        awaitConnected();

        List<Row> rows = awaitRows(c, null, 3);
        fake().dispatch("MESSAGE_CREATE", userMessage(cid, ALICE, "alice", "four"));
        rows = awaitRows(c, null, 4);
        assertEquals(List.of("one", "two", "three", "four"), rows.stream()
                .map(r -> r.content().path("text").asText()).toList(), "none lost, none repeated");
        assertEquals(m2.path("id").asText() + ":" + c.ag().id(), rows.get(1).id());
        assertEquals(identifies, ops(2), "no new session");
    }

    @Test
    void reconnectAndInvalidSessionRequestsAreFollowed() {
        Chat c = chat(true, "pattern");
        String cid = c.mg().platformId();
        int resumes = ops(6);
        fake().requestReconnect(); // op 7: resume at once
        await("a Resume after op 7", () -> ops(6) > resumes, Duration.ofSeconds(10));
        awaitConnected();

        int identifies = ops(2);
        String oldSession = fake().mainSessionId();
        adapter.gateway().invalidSessionMinMs = 50;
        adapter.gateway().invalidSessionMaxMs = 200;
        fake().invalidateSession(); // op 9, d=false: a fresh Identify after a short wait
        await("a fresh Identify after op 9", () -> ops(2) > identifies, Duration.ofSeconds(10));
        await("a new session", () -> !oldSession.equals(fake().mainSessionId()), Duration.ofSeconds(10));
        awaitConnected();
        fake().dispatch("MESSAGE_CREATE", userMessage(cid, ALICE, "alice", "still here?"));
        assertEquals("still here?", awaitRows(c, null, 1).get(0).content().path("text").asText());
    }

    @Test
    void heartbeatsCarryTheSequenceAndAZombieConnectionIsResumed() {
        long seq = fake().dispatch("PRESENCE_UPDATE", mapper.createObjectNode().put("status", "online"));
        await("a heartbeat with seq " + seq, () -> fake().gatewayOps(1).stream()
                .anyMatch(h -> h.path("d").asLong(-1) == seq), Duration.ofSeconds(5));

        int resumes = ops(6);
        int connections = fake().connections.get();
        fake().goSilent(); // no more ACKs: the next beat finds the last one unanswered
        await("the zombie is replaced and resumed", () -> ops(6) > resumes, Duration.ofSeconds(10));
        assertTrue(fake().connections.get() > connections);
        awaitConnected();
        assertEquals(ChannelStatus.State.CONNECTED, adapter.status().state());
    }

    @Test
    void anOutboundMessageDuringA502IsRetriedAndSentOnce() throws Exception {
        Chat c = chat(true, "pattern");
        String cid = c.mg().platformId();
        fake().dispatch("MESSAGE_CREATE", userMessage(cid, ALICE, "alice", "hi"));
        awaitRows(c, null, 1);
        Session s = session(c, null);
        String path = "/channels/" + cid + "/messages";
        fake().failNext("POST", path, 502, 1);
        reply(c, s, null, "{\"text\":\"through the outage\"}");
        assertEquals(502, fake().requests("POST", path).get(0).status());
        drainUntil(s, "POST", path, Duration.ofSeconds(20));
        assertEquals(List.of(502, 200), fake().requests("POST", path).stream().map(FakeDiscord.Req::status)
                .toList());
        assertEquals(1, fake().messages.values().stream().filter(m -> m.path("channel_id").asText().equals(cid))
                .count());
    }

    @Test
    void a429IsHonouredAndAnEmptyBucketWaitsBeforeTheNextCall() throws Exception {
        Chat c = chat(true, "pattern");
        String cid = c.mg().platformId();
        fake().dispatch("MESSAGE_CREATE", userMessage(cid, ALICE, "alice", "hi"));
        awaitRows(c, null, 1);
        Session s = session(c, null);
        String path = "/channels/" + cid + "/messages";
        fake().rateLimitNext("POST", path, 3.0);
        reply(c, s, null, "{\"text\":\"slowly\"}");
        drainUntil(s, "POST", path, Duration.ofSeconds(20));
        List<FakeDiscord.Req> posts = fake().requests("POST", path);
        assertEquals(List.of(429, 200), posts.stream().map(FakeDiscord.Req::status).toList());
        long gapMs = (posts.get(1).atNanos() - posts.get(0).atNanos()) / 1_000_000;
        assertTrue(gapMs >= 2_950, "waited the 3 s Discord asked for, not " + gapMs + " ms");

        // X-RateLimit-Remaining: 0 closes that route (only that one) for X-RateLimit-Reset-After
        String a = fake().nextId();
        String b = fake().nextId();
        fake().exhaustBucket("POST", "/channels/" + a + "/messages", 1.5);
        adapter.deliver(a, null, text("first"));
        long t0 = System.nanoTime();
        adapter.deliver(b, null, text("another channel"));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1_000, "another route is not held up");
        adapter.deliver(a, null, text("second"));
        List<FakeDiscord.Req> onA = fake().requests("POST", "/channels/" + a + "/messages");
        long waited = (onA.get(1).atNanos() - onA.get(0).atNanos()) / 1_000_000;
        assertTrue(waited >= 1_450, "waited for the bucket to reset, not " + waited + " ms");
    }

    private OutboundMessage text(String t) {
        return new OutboundMessage(null, "chat", mapper.createObjectNode().put("text", t), List.of());
    }

    @Test
    void rejectedTokensFailWithAClearReasonAndNoRetryLoopWhileTheBotStaysUp() throws Exception {
        DiscordChannel rest401 = other("not-a-valid-token");
        DiscordChannel gateway4004 = other(FakeDiscord.GATEWAY_REJECTED_TOKEN);
        DiscordChannel intent4014 = other(FakeDiscord.NO_INTENT_TOKEN);
        try {
            awaitFailed(rest401);
            awaitFailed(gateway4004);
            awaitFailed(intent4014);
            assertTrue(rest401.status().detail().contains("bot token was rejected (HTTP 401"),
                    rest401.status().detail());
            assertTrue(gateway4004.status().detail().contains("bot token was rejected (gateway close 4004"),
                    gateway4004.status().detail());
            assertTrue(intent4014.status().detail().contains("Message Content Intent"), intent4014.status().detail());
            assertTrue(!rest401.isConnected() && !gateway4004.isConnected());

            Thread.sleep(2_500); // long enough for a retry loop to show itself
            assertEquals(1, fake().requests.stream().filter(r -> r.path().equals("/users/@me")
                    && "Bot not-a-valid-token".equals(r.headers().get("authorization"))).count());
            assertEquals(1, identifiesWith(FakeDiscord.GATEWAY_REJECTED_TOKEN));
            assertEquals(1, identifiesWith(FakeDiscord.NO_INTENT_TOKEN));
            assertTrue(adapter.isConnected(), "the configured bot is unaffected");
        } finally {
            rest401.stop();
            gateway4004.stop();
            intent4014.stop();
        }
    }

    private DiscordChannel other(String token) {
        DiscordChannel ch = new DiscordChannel(new DiscordConfig(Optional.of(token), fake().apiBase(),
                Optional.empty()), http, vertx);
        ch.start((type, platformId, threadId, message) -> {
            throw new AssertionError("nothing should arrive");
        });
        return ch;
    }

    private static void awaitFailed(DiscordChannel ch) {
        await("the channel fails", () -> ch.status().state() == ChannelStatus.State.FAILED, Duration.ofSeconds(10));
    }

    private long identifiesWith(String token) {
        return fake().gatewayOps(2).stream().filter(n -> token.equals(n.path("d").path("token").asText())).count();
    }

    @Test
    void malformedAndUnknownGatewayInputIsSkippedAndTheConnectionStays() {
        Chat c = chat(true, "pattern");
        String cid = c.mg().platformId();
        int connections = fake().connections.get();
        int identifies = ops(2);
        fake().sendRaw("this is not JSON");
        fake().sendRaw("[1,2,3]");
        fake().sendRaw("{\"op\":42,\"d\":{}}");
        fake().sendRaw("{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"s\":null,\"d\":\"a string\"}");
        fake().dispatch("MESSAGE_CREATE", mapper.createObjectNode());
        ObjectNode noAuthor = userMessage(cid, ALICE, "alice", "who said this?");
        noAuthor.remove("author");
        fake().dispatch("MESSAGE_CREATE", noAuthor);
        ObjectNode badId = userMessage(cid, ALICE, "alice", "bad id");
        badId.put("channel_id", "../../users/@me");
        fake().dispatch("MESSAGE_CREATE", badId);
        ObjectNode weird = userMessage(cid, ALICE, "alice", "odd fields");
        weird.put("mentions", "not a list").put("attachments", 7).put("referenced_message", "x");
        fake().dispatch("SOMETHING_DISCORD_ADDS_LATER", mapper.createObjectNode().put("id", "1"));
        fake().dispatch("INTERACTION_CREATE", mapper.createObjectNode().put("id", fake().nextId()).put("type", 3));
        fake().dispatch("MESSAGE_CREATE", weird);
        // a valid message, split over continuation frames
        fake().dispatch("MESSAGE_CREATE", userMessage(cid, BOB, "bob", "x".repeat(3000)), true);

        List<Row> rows = awaitRows(c, null, 2);
        assertEquals("odd fields", rows.get(0).content().path("text").asText());
        assertEquals(3000, rows.get(1).content().path("text").asText().length());
        assertEquals(connections, fake().connections.get(), "no reconnect");
        assertEquals(identifies, ops(2));
        assertTrue(adapter.isConnected());
    }
}
