package io.nanoclaw.host.channels.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.InboundSink;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.channels.http.PlatformHttp;
import io.nanoclaw.host.entities.Session;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Outages, rate limits, rejected tokens and garbage from the platform. */
@QuarkusTest
@TestProfile(HostWithFakeSlack.class)
class SlackOutageTest extends SlackTestBase {
    @Inject
    PlatformHttp http;
    @Inject
    Vertx vertx;

    private Set<String> ids(List<String[]> rows) {
        return rows.stream().map(r -> r[0]).collect(Collectors.toSet());
    }

    @Test
    void aSocketDroppedMidStreamLosesAndRepeatsNothing() throws Exception {
        Chat c = chat(true, "pattern");
        String a = fake.sendMessage(c.channel(), "channel", "U100", "one", null);
        Session s = session(c, null);
        awaitRows(c, s, 1);
        int before = fake.connections.size();

        fake.dropAfterNextSend(); // "two" is written, then the socket dies before its ack arrives
        ObjectNode twoEvent = fake.messageEvent(c.channel(), "channel", "U100", "two", null);
        String two = fake.sendEvent(twoEvent);
        await("a new connection", () -> fake.connections.size() > before && fake.current() != null, 15_000);
        await("\"two\" re-sent and acked", () -> fake.acked(two), LONG);
        assertTrue(fake.sends.contains(two + "#2"), "Slack re-sent the un-acked envelope: " + fake.sends);
        String b = twoEvent.path("ts").asText();
        String d = fake.sendMessage(c.channel(), "channel", "U100", "three", null);
        List<String[]> rows = awaitRows(c, s, 3);
        sleep(500);
        rows = rows(c, s);
        assertEquals(3, rows.size());
        String ag = ":" + c.ag().id();
        assertEquals(Set.of(a + ag, b + ag, d + ag), ids(rows));
        await("connected again", () -> adapter().isConnected(), 5_000);
    }

    @Test
    void aDisconnectMessageOpensTheNextConnectionBeforeTheOldOneCloses() throws Exception {
        Chat c = chat(true, "pattern");
        FakeSlack.Conn old = fake.current();
        int before = fake.connections.size();
        fake.sendDisconnect("refresh_requested");
        await("the old connection closed by the adapter", () -> !old.open(), 10_000);
        assertFalse(old.closedByServer);
        FakeSlack.Conn next = fake.connections.get(before);
        assertTrue(next.openedAt <= old.closedAt, "the new connection was open before the old one closed");
        assertTrue(next.open());
        String ts = fake.sendMessage(c.channel(), "channel", "U100", "after the refresh", null);
        List<String[]> rows = awaitRows(c, session(c, null), 1);
        assertEquals(ts + ":" + c.ag().id(), rows.get(0)[0]);
        assertEquals(ChannelStatus.State.CONNECTED, status().state());
    }

    @Test
    void anOutboundOutageIsRetriedAndDeliveredOnce() throws Exception {
        Chat c = chat(true, "pattern");
        fake.sendMessage(c.channel(), "channel", "U100", "hello", null);
        Session s = session(c, null);
        awaitRows(c, s, 1);
        fake.failNext("chat.postMessage", 502, null, 1);
        fx.containerWrites(c.ag().id(), s.id(), "slack", c.channel(), null, "chat", "{\"text\":\"through the storm\"}");
        drainUntil(s, "the first attempt", () -> fake.calls("chat.postMessage").stream().anyMatch(p -> p.status()
                == 502));
        assertEquals(0, delivered("through the storm"));
        drainUntil(s, "the retry after the delivery's backoff", () -> delivered("through the storm") == 1);
        sleep(300);
        delivery.drain(s);
        assertEquals(1, delivered("through the storm"));
        assertEquals(2, fake.calls("chat.postMessage").stream().filter(p -> p.args().path("text").asText()
                .equals("through the storm")).count());
    }

    private long delivered(String text) {
        return fake.answered("chat.postMessage").stream().filter(p -> p.args().path("text").asText().equals(text))
                .count();
    }

    @Test
    void rateLimitsCarryTheWaitAndTheConnectionLoopHonoursRetryAfter() throws Exception {
        Chat c = chat(true, "pattern");
        OutboundMessage hi = new OutboundMessage(null, "chat", mapper.createObjectNode().put("text", "hi"), List.of());
        fake.failNext("chat.postMessage", 429, "7", 1);
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> adapter().deliver(c.channel(), null,
                hi));
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
        fake.refuseNext("chat.postMessage", "ratelimited");
        e = assertThrows(RateLimitedException.class, () -> adapter().deliver(c.channel(), null, hi));
        assertEquals(Duration.ofSeconds(1), e.retryAfter());
        assertTrue(adapter().deliver(c.channel(), null, hi) != null);

        int before = fake.calls("apps.connections.open").size();
        fake.failNext("apps.connections.open", 429, "2", 1);
        fake.dropNow();
        await("reconnected after the 429", () -> fake.calls("apps.connections.open").size() >= before + 2
                && adapter().isConnected(), 20_000);
        List<FakeSlack.Call> opens = fake.calls("apps.connections.open");
        FakeSlack.Call limited = opens.get(before);
        FakeSlack.Call next = opens.get(before + 1);
        assertEquals(429, limited.status());
        assertTrue(next.at() - limited.at() >= 1_900, "waited " + (next.at() - limited.at()) + " ms");
    }

    @Test
    void rejectedTokensFailClearlyOnceAndLeaveTheRunningChannelAlone() {
        InboundSink none = (t, p, th, m) -> { };
        SlackChannel badBot = new SlackChannel(new SlackConfig("xoxb-revoked", FakeSlack.APP_TOKEN,
                fake.apiBaseUrl()), http, vertx);
        SlackChannel badApp = new SlackChannel(new SlackConfig(FakeSlack.BOT_TOKEN, "xapp-1-revoked",
                fake.apiBaseUrl()), http, vertx);
        SlackChannel swapped = new SlackChannel(new SlackConfig(FakeSlack.APP_TOKEN, FakeSlack.BOT_TOKEN,
                fake.apiBaseUrl()), http, vertx);
        try {
            badBot.start(none);
            badApp.start(none);
            swapped.start(none);
            await("the bad bot token FAILED", () -> badBot.status().state() == ChannelStatus.State.FAILED, 10_000);
            await("the bad app token FAILED", () -> badApp.status().state() == ChannelStatus.State.FAILED, 10_000);
            assertEquals("SLACK_BOT_TOKEN was rejected (invalid_auth)", badBot.status().detail());
            assertEquals("SLACK_APP_TOKEN was rejected (invalid_auth)", badApp.status().detail());
            assertEquals(ChannelStatus.State.FAILED, swapped.status().state());
            assertTrue(swapped.status().detail().contains("xoxb-"), swapped.status().detail());
            sleep(2_500); // no retry loop
            assertEquals(1, fake.calls("auth.test").stream().filter(k -> "xoxb-revoked".equals(k.token())).count());
            assertEquals(1, fake.calls("apps.connections.open").stream()
                    .filter(k -> "xapp-1-revoked".equals(k.token())).count());
            assertFalse(fake.calls.stream().anyMatch(k -> FakeSlack.APP_TOKEN.equals(k.token())
                    && !k.method().equals("apps.connections.open")), "the app token is used for nothing else");
            assertTrue(adapter().isConnected(), "the configured channel is unaffected");
        } finally {
            badBot.stop();
            badApp.stop();
            swapped.stop();
        }
        assertEquals("SLACK_BOT_TOKEN is not set", new SlackConfig(null, "xapp-1", "x").notConfigured().orElseThrow());
        assertTrue(new SlackConfig("xoxb-1", null, "x").notConfigured().orElseThrow()
                .startsWith("SLACK_APP_TOKEN is not set"));
        assertTrue(new SlackConfig("xoxb-1", "xapp-1", "x").notConfigured().isEmpty());
    }

    @Test
    void malformedAndUnknownEnvelopesAreSkippedAndAckedWithoutHarm() throws Exception {
        Chat c = chat(true, "pattern");
        int connections = fake.connections.size();
        fake.sendRaw("this is not json");
        fake.sendRaw("[1,2,3]");
        fake.sendRaw("{\"type\":\"events_api\",\"payload\":{}}");
        fake.sendRaw("{\"type\":\"a_type_from_the_future\",\"envelope_id\":\"x-1\"}");
        String noPayload = fake.enqueue("events_api", null);
        String noEvent = fake.enqueue("events_api", mapper.createObjectNode().put("type", "event_callback"));
        ObjectNode bare = mapper.createObjectNode();
        bare.putObject("event").put("type", "message");
        String missingFields = fake.enqueue("events_api", bare);
        String slash = fake.enqueue("slash_commands", mapper.createObjectNode().put("command", "/weather"));
        String unknownEvent = fake.sendEvent(mapper.createObjectNode().put("type", "reaction_added")
                .put("user", "U100").put("reaction", "thumbsup"));
        ObjectNode viewSubmission = mapper.createObjectNode().put("type", "view_submission");
        String otherInteractive = fake.enqueue("interactive", viewSubmission);
        ObjectNode fromBot = fake.messageEvent(c.channel(), "channel", "U300", "I am a bot", null);
        fromBot.put("bot_id", "B999").put("subtype", "bot_message");
        fake.sendEvent(fromBot);
        ObjectNode join = fake.messageEvent(c.channel(), "channel", "U100", "<@U100> has joined", null);
        join.put("subtype", "channel_join");
        fake.sendEvent(join);
        ObjectNode echo = fake.messageEvent(c.channel(), "channel", FakeSlack.BOT_ID, "my own words", null);
        fake.sendEvent(echo);

        String ok = fake.sendMessage(c.channel(), "channel", "U100", "still here", null);
        List<String[]> rows = awaitRows(c, session(c, null), 1);
        sleep(300);
        rows = rows(c, session(c, null));
        assertEquals(1, rows.size(), "only the good message");
        assertEquals(ok + ":" + c.ag().id(), rows.get(0)[0]);
        for (String id : List.of(noPayload, noEvent, missingFields, slash, unknownEvent, otherInteractive)) {
            assertTrue(fake.acked(id), "acked " + id);
        }
        assertEquals(connections, fake.connections.size(), "the connection survived");
        assertTrue(adapter().isConnected());
    }
}
