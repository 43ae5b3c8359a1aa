package io.nanoclaw.host.channels.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.channels.ChannelAdapter;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.OutboundMessage;
import io.nanoclaw.host.channels.PlatformUnavailableException;
import io.nanoclaw.host.channels.RateLimitedException;
import io.nanoclaw.host.delivery.ActiveSessions;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.CoreFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Signal adapter end to end: a fake signal-cli daemon on loopback ⇄ adapter ⇄ router ⇄ a session's inbound.db
 * and outbound.db (the container's side played by CoreFixture).
 */
@QuarkusTest
@TestProfile(SignalHost.class)
class SignalChannelTest {
    static final String ACCOUNT = SignalHost.ACCOUNT;
    private static final AtomicInteger NUMBERS = new AtomicInteger(1000);

    @Inject
    ChannelRegistry channels;
    @Inject
    DeliveryService delivery;
    @Inject
    CoreFixture fx;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    SessionResolver resolver;
    @Inject
    SessionFolders folders;
    @Inject
    ActiveSessions active;

    private final ObjectMapper mapper = new ObjectMapper();
    private FakeSignalDaemon daemon;

    record Chat(String platformId, AgentGroup ag, MessagingGroup mg, Session session) {}

    @BeforeEach
    void connected() {
        daemon = SignalHost.daemon;
        daemon.delayMs = 0;
        daemon.missingMethods.clear();
        await("the adapter is connected", () -> adapter().isConnected(), 15_000);
    }

    private ChannelAdapter adapter() {
        return channels.get("signal").orElseThrow();
    }

    static String newNumber() {
        return "+1555" + String.format("%07d", NUMBERS.incrementAndGet());
    }

    private Chat dm(String number) {
        return chat(number, false, null);
    }

    /** A chat wired to a new agent group: every message engages, or only mentions when {@code engage} says so. */
    private Chat chat(String platformId, boolean group, String engage) {
        AgentGroup ag = fx.group("Signal");
        MessagingGroup mg = fx.db.inTransaction(c -> messagingGroups.create(c, "signal", platformId,
                group ? "Home" : "DM", group, "public"));
        if (engage == null) {
            fx.wireAll(mg, ag);
        } else {
            fx.wire(mg, ag, engage, null, "all", "drop", "shared", 0);
        }
        return new Chat(platformId, ag, mg, resolver.resolve(ag.id(), mg.id(), null, "shared"));
    }

    private List<String[]> chatRows(Chat c) throws Exception {
        return fx.inboundRows(c.ag().id(), c.session().id(),
                "SELECT id, content, trigger FROM messages_in WHERE kind = 'chat' ORDER BY seq");
    }

    private List<String[]> awaitChatRows(Chat c, int n) throws Exception {
        await(n + " chat row(s) in inbound.db", () -> {
            try {
                return chatRows(c).size() >= n;
            } catch (Exception e) {
                return false;
            }
        }, 10_000);
        return chatRows(c);
    }

    /**
     * Drains the session's outbound.db. An inbound message put the session on the fast delivery path, whose
     * background drain would make ours return at once: wait until it let go.
     */
    private void drain(Chat c) {
        await("the fast delivery path lets go", () -> !active.isInFlight(c.session().id()), 5_000);
        delivery.drain(c.session());
    }

    private JsonNode json(String s) throws Exception {
        return mapper.readTree(s);
    }

    private String reply(Chat c, String content) throws Exception {
        return fx.containerWrites(c.ag().id(), c.session().id(), "signal", c.platformId(), null, "chat", content);
    }

    private List<JsonNode> sendsTo(String number) {
        return daemon.requests("send").stream()
                .filter(r -> r.path("params").path("recipient").path(0).asText().equals(number)).toList();
    }

    static void await(String what, BooleanSupplier cond, long ms) {
        long end = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aDirectMessageReachesTheSessionAndTheReplyGoesBackOut() throws Exception {
        String alice = newNumber();
        Chat c = dm(alice);
        long ts = daemon.now();
        daemon.push(Envelopes.text(alice, "Alice", ts, "hello there"));

        String[] row = awaitChatRows(c, 1).get(0);
        assertEquals(alice + "@" + ts + ":" + c.ag().id(), row[0]);
        assertEquals("1", row[2], "a DM wakes the agent");
        JsonNode content = json(row[1]);
        assertEquals("hello there", content.path("text").asText());
        assertEquals("Alice", content.path("sender").asText());
        assertEquals("signal:" + alice, content.path("senderId").asText());
        await("typing shown while the agent works", () -> daemon.requests("sendTyping").stream()
                .anyMatch(r -> r.path("params").path("recipient").path(0).asText().equals(alice)), 5_000);

        String out = reply(c, "{\"text\":\"Hi Alice!\"}");
        drain(c);
        List<JsonNode> sends = sendsTo(alice);
        assertEquals(1, sends.size(), daemon.requests.toString());
        JsonNode p = sends.get(0).path("params");
        assertEquals("Hi Alice!", p.path("message").asText());
        assertEquals(ACCOUNT, p.path("account").asText(), "the account param, for a multi-account daemon");
        assertTrue(sends.get(0).path("id").canConvertToLong(), "requests carry numeric ids");
        String platformMessageId = fx.inboundRows(c.ag().id(), c.session().id(),
                "SELECT platform_message_id FROM delivered WHERE message_out_id = '" + out + "'").get(0)[0];
        assertTrue(platformMessageId.matches("\\Q" + ACCOUNT + "\\E@\\d+"), platformMessageId);
    }

    @Test
    void inAGroupOnlyMentionsEngage() throws Exception {
        String bob = newNumber();
        String groupId = "R3JvdXAt" + NUMBERS.incrementAndGet() + "PQ==";
        Chat c = chat("group:" + groupId, true, "mention");

        daemon.push(Envelopes.inGroup(bob, "Bob", daemon.now(), groupId, "just chatting among ourselves"));
        ObjectNode mention = Envelopes.inGroup(bob, "Bob", daemon.now(), groupId, "\uFFFC can you help?");
        Envelopes.data(mention).putArray("mentions").addObject().put("name", ACCOUNT).put("number", ACCOUNT)
                .put("uuid", "dddddddd-0000-4000-8000-000000000009").put("start", 0).put("length", 1);
        daemon.push(mention);
        daemon.push(Envelopes.inGroup(bob, "Bob", daemon.now(), groupId, "andy: and you?"));
        ObjectNode quoting = Envelopes.inGroup(bob, "Bob", daemon.now(), groupId, "thanks for that");
        Envelopes.data(quoting).putObject("quote").put("id", 1_700_000_000_000L).put("author", ACCOUNT)
                .put("authorNumber", ACCOUNT).put("text", "an earlier answer");
        daemon.push(quoting);

        List<String[]> rows = awaitChatRows(c, 3);
        Thread.sleep(200);
        rows = chatRows(c);
        assertEquals(3, rows.size(), "the message without a mention is not routed");
        assertEquals("@Andy can you help?", json(rows.get(0)[1]).path("text").asText(),
                "a mention of the bot reads as @<assistant name>");
        assertEquals("andy: and you?", json(rows.get(1)[1]).path("text").asText());
        assertEquals("thanks for that", json(rows.get(2)[1]).path("text").asText());
        assertEquals("group:" + groupId, c.mg().platformId());
    }

    @Test
    void aQuestionCardIsNumberedTextAndATypedNumberAnswersIt() throws Exception {
        String carol = newNumber();
        Chat c = dm(carol);
        fx.containerWrites(c.ag().id(), c.session().id(), "signal", carol, null, "chat-sdk",
                "{\"type\":\"ask_question\",\"questionId\":\"q-sig-1\",\"title\":\"Pick\",\"question\":\"Which "
                        + "colour?\",\"options\":[{\"label\":\"Red\",\"value\":\"red\"},{\"label\":\"Blue\","
                        + "\"value\":\"blue\"}]}");
        drain(c);
        assertEquals("Pick\n\nWhich colour?\n\nReply with the number: 1. Red  2. Blue",
                sendsTo(carol).get(0).path("params").path("message").asText());

        daemon.push(Envelopes.text(carol, "Carol", daemon.now(), "2"));
        await("the answer in inbound.db", () -> {
            try {
                return !fx.inboundRows(c.ag().id(), c.session().id(),
                        "SELECT 1 FROM messages_in WHERE kind = 'system'").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, 10_000);
        JsonNode answer = json(fx.inboundRows(c.ag().id(), c.session().id(),
                "SELECT content FROM messages_in WHERE kind = 'system'").get(0)[0]);
        assertEquals("question_response", answer.path("type").asText());
        assertEquals("q-sig-1", answer.path("questionId").asText());
        assertEquals("blue", answer.path("selectedOption").asText());
        assertEquals("signal:" + carol, answer.path("userId").asText());
        assertTrue(chatRows(c).isEmpty(), "the typed answer is not a chat message for the agent");
    }

    @Test
    void editsChainOnTheNewestRevisionAndReactionsNameTheirTarget() throws Exception {
        String dan = newNumber();
        Chat c = dm(dan);
        String out = reply(c, "{\"text\":\"first draft\"}");
        drain(c);
        String platformId = fx.inboundRows(c.ag().id(), c.session().id(),
                "SELECT platform_message_id FROM delivered WHERE message_out_id = '" + out + "'").get(0)[0];
        long sentTs = Long.parseLong(platformId.substring(platformId.indexOf('@') + 1));

        reply(c, "{\"operation\":\"edit\",\"messageId\":\"" + out + "\",\"text\":\"second draft\"}");
        drain(c);
        reply(c, "{\"operation\":\"edit\",\"messageId\":\"" + out + "\",\"text\":\"final\"}");
        drain(c);
        List<JsonNode> sends = sendsTo(dan);
        assertEquals(3, sends.size());
        JsonNode edit1 = sends.get(1).path("params");
        assertEquals("second draft", edit1.path("message").asText());
        assertEquals(sentTs, edit1.path("editTimestamp").asLong(), "the first edit targets the message");
        JsonNode edit2 = sends.get(2).path("params");
        assertEquals("final", edit2.path("message").asText());
        assertTrue(edit2.path("editTimestamp").asLong() > sentTs, "the next edit targets the newest revision");

        long ts = daemon.now();
        daemon.push(Envelopes.text(dan, "Dan", ts, "nice"));
        String inboundId = awaitChatRows(c, 1).get(0)[0];
        reply(c, "{\"operation\":\"reaction\",\"messageId\":\"" + inboundId + "\",\"emoji\":\"👍\"}");
        drain(c);
        List<JsonNode> reactions = daemon.requests("sendReaction").stream()
                .filter(r -> r.path("params").path("recipient").path(0).asText().equals(dan)).toList();
        assertEquals(1, reactions.size());
        JsonNode r = reactions.get(0).path("params");
        assertEquals("👍", r.path("emoji").asText());
        assertEquals(dan, r.path("targetAuthor").asText());
        assertEquals(ts, r.path("targetTimestamp").asLong());
    }

    @Test
    void aUsersEditArrivesAsANewEditedMessage() throws Exception {
        String erin = newNumber();
        Chat c = dm(erin);
        long ts = daemon.now();
        daemon.push(Envelopes.text(erin, "Erin", ts, "meet at 5"));
        long editTs = daemon.now();
        ObjectNode edit = Envelopes.from(erin, "Erin", editTs);
        edit.putObject("editMessage").put("targetSentTimestamp", ts).putObject("dataMessage")
                .put("timestamp", editTs).put("message", "meet at 6");
        daemon.push(edit);
        List<String[]> rows = awaitChatRows(c, 2);
        assertEquals(erin + "@" + ts + ".e" + editTs + ":" + c.ag().id(), rows.get(1)[0]);
        JsonNode content = json(rows.get(1)[1]);
        assertEquals("(edited) meet at 6", content.path("text").asText());
        assertTrue(content.path("edited").asBoolean());
    }

    @Test
    void attachmentsComeInThroughGetAttachmentOrTheAttachmentsFolderAndOversizedOnesAreRefused() throws Exception {
        String fay = newNumber();
        Chat c = dm(fay);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
        daemon.attachments.put("Xq3ke1.png", png);
        ObjectNode env = Envelopes.text(fay, "Fay", daemon.now(), "look");
        var atts = Envelopes.data(env).putArray("attachments");
        atts.addObject().put("contentType", "image/png").put("filename", "cat.png").put("id", "Xq3ke1.png")
                .put("size", png.length);
        atts.addObject().put("contentType", "video/mp4").put("filename", "huge.mp4").put("id", "Big1.mp4")
                .put("size", 30L * 1024 * 1024);
        daemon.push(env);

        String[] row = awaitChatRows(c, 1).get(0);
        JsonNode a = json(row[1]).path("attachments");
        assertEquals(2, a.size());
        assertEquals("inbox/" + row[0] + "/cat.png", a.get(0).path("localPath").asText());
        Path saved = folders.sessionDir(c.ag().id(), c.session().id()).resolve(a.get(0).path("localPath").asText());
        assertTrue(java.util.Arrays.equals(png, Files.readAllBytes(saved)));
        assertEquals("The file was not saved: too large", a.get(1).path("note").asText());
        assertFalse(a.get(1).has("data") || a.get(1).has("localPath"));
        assertTrue(daemon.requests("getAttachment").stream()
                .noneMatch(r -> r.path("params").path("id").asText().equals("Big1.mp4")), "not even fetched");

        // an older signal-cli without getAttachment: the file is read from its attachments folder
        daemon.missingMethods.add("getAttachment");
        Files.writeString(SignalHost.attachmentsDir.resolve("Old7.txt"), "from the folder");
        ObjectNode old = Envelopes.text(fay, "Fay", daemon.now(), "");
        Envelopes.data(old).putArray("attachments").addObject().put("contentType", "text/plain")
                .put("filename", "notes.txt").put("id", "Old7.txt").put("size", 15);
        daemon.push(old);
        String[] row2 = awaitChatRows(c, 2).get(1);
        JsonNode a2 = json(row2[1]).path("attachments").get(0);
        assertEquals("from the folder", Files.readString(folders.sessionDir(c.ag().id(), c.session().id())
                .resolve(a2.path("localPath").asText())));
    }

    @Test
    void aFileGoesOutAsADataUri() throws Exception {
        String gus = newNumber();
        Chat c = dm(gus);
        String rowId = reply(c, "{\"text\":\"the report\",\"files\":[\"report.txt\"]}");
        Path outbox = Files.createDirectories(folders.sessionDir(c.ag().id(), c.session().id()).resolve("outbox")
                .resolve(rowId));
        Files.writeString(outbox.resolve("report.txt"), "all good", StandardCharsets.UTF_8);
        drain(c);
        JsonNode p = sendsTo(gus).get(0).path("params");
        assertEquals("the report", p.path("message").asText());
        assertEquals("data:text/plain;filename=report.txt;base64,"
                + Base64.getEncoder().encodeToString("all good".getBytes(StandardCharsets.UTF_8)),
                p.path("attachments").get(0).asText());
        assertTrue(FakeSignalDaemon.DATA_URI.matcher(p.path("attachments").get(0).asText()).matches());
    }

    @Test
    void aQuoteBecomesReplyTo() throws Exception {
        String hal = newNumber();
        Chat c = dm(hal);
        ObjectNode env = Envelopes.text(hal, "Hal", daemon.now(), "what did you mean?");
        Envelopes.data(env).putObject("quote").put("id", 1_760_000_000_123L).put("author", ACCOUNT)
                .put("authorNumber", ACCOUNT).put("authorUuid", "dddddddd-0000-4000-8000-000000000009")
                .put("text", "It depends.").putArray("attachments");
        daemon.push(env);
        JsonNode replyTo = json(awaitChatRows(c, 1).get(0)[1]).path("replyTo");
        assertEquals(ACCOUNT + "@1760000000123", replyTo.path("id").asText());
        assertEquals("It depends.", replyTo.path("text").asText());
        assertEquals("Andy", replyTo.path("sender").asText());
    }

    @Test
    void aDaemonOutageLosesAndRepeatsNothingAndOutboundIsRetried() throws Exception {
        String ivy = newNumber();
        Chat c = dm(ivy);
        ObjectNode first = Envelopes.text(ivy, "Ivy", daemon.now(), "one");
        daemon.push(first);
        awaitChatRows(c, 1);
        int connectionsBefore = daemon.connections.get();

        daemon.refuseFor(Duration.ofMillis(2500)); // drops the socket; nothing listens for a while
        await("the adapter notices", () -> !adapter().isConnected(), 5_000);
        assertEquals(ChannelStatus.State.CONNECTING, adapter().status().state());
        daemon.push(Envelopes.text(ivy, "Ivy", daemon.now(), "two"));   // kept by the daemon meanwhile
        daemon.push(Envelopes.text(ivy, "Ivy", daemon.now(), "three"));
        reply(c, "{\"text\":\"sent during the outage\"}");
        drain(c);
        assertTrue(sendsTo(ivy).isEmpty());
        assertThrows(PlatformUnavailableException.class, () -> adapter().deliver(ivy, null,
                new OutboundMessage(null, "chat", mapper.createObjectNode().put("text", "x"), List.of())));

        await("reconnected", () -> adapter().isConnected(), 15_000);
        assertTrue(daemon.connections.get() > connectionsBefore);
        assertTrue(daemon.requests("subscribeReceive").size() >= 2, "subscribed again on the new connection");
        daemon.push(first); // a redelivery of a message already handled
        daemon.push(Envelopes.text(ivy, "Ivy", daemon.now(), "four"));
        List<String[]> rows = awaitChatRows(c, 4);
        Thread.sleep(200);
        rows = chatRows(c);
        assertEquals(List.of("one", "two", "three", "four"), rows.stream().map(r -> {
            try {
                return json(r[1]).path("text").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList(), "each message once, in order");

        await("the reply retried", () -> {
            drain(c);
            return !sendsTo(ivy).isEmpty();
        }, 15_000);
        assertEquals(1, sendsTo(ivy).size());
        assertEquals("sent during the outage", sendsTo(ivy).get(0).path("params").path("message").asText());
    }

    @Test
    void aDaemonInOnStartModeSendsEachMessageTwiceAndItIsHandledOnce() throws Exception {
        String lee = newNumber();
        Chat c = dm(lee);
        daemon.attachments.put("Dup1.png", new byte[] {1, 2, 3});
        daemon.receiveMode = FakeSignalDaemon.ReceiveMode.ON_START;
        try {
            ObjectNode env = Envelopes.text(lee, "Lee", daemon.now(), "once please");
            Envelopes.data(env).putArray("attachments").addObject().put("contentType", "image/png")
                    .put("filename", "d.png").put("id", "Dup1.png").put("size", 3);
            daemon.push(env);
            awaitChatRows(c, 1);
            Thread.sleep(300);
            assertEquals(1, chatRows(c).size());
            assertEquals(1, daemon.requests("getAttachment").stream()
                    .filter(r -> r.path("params").path("id").asText().equals("Dup1.png")).count(),
                    "the plain copy is not even looked at");
        } finally {
            daemon.receiveMode = FakeSignalDaemon.ReceiveMode.MANUAL;
        }
    }

    @Test
    void aRateLimitBecomesRateLimitedWithTheDaemonsWait() throws Exception {
        String jo = newNumber();
        OutboundMessage hi = new OutboundMessage(null, "chat", mapper.createObjectNode().put("text", "hi"),
                List.of());
        ObjectNode data = mapper.createObjectNode();
        data.putObject("response").put("timestamp", 1L).putArray("results").addObject()
                .put("type", "RATE_LIMIT_FAILURE").put("retryAfterSeconds", 7).putObject("recipientAddress")
                .put("number", jo);
        daemon.rateLimitNext(1, -5, "Failed to send message due to rate limiting", data);
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> adapter().deliver(jo, null, hi));
        assertEquals(Duration.ofSeconds(7), e.retryAfter());

        daemon.rateLimitNext(1, -1, "Failed to send message: Rate limit exceeded: 413, retry after 5 seconds",
                null);
        e = assertThrows(RateLimitedException.class, () -> adapter().deliver(jo, null, hi));
        assertEquals(Duration.ofSeconds(5), e.retryAfter());

        daemon.rateLimitNext(1, -32603, "Rate limit exceeded: 429", null);
        e = assertThrows(RateLimitedException.class, () -> adapter().deliver(jo, null, hi));
        assertEquals(Duration.ofSeconds(60), e.retryAfter(), "no wait given: a minute");

        assertTrue(adapter().deliver(jo, null, hi).startsWith(ACCOUNT + "@"), "then it goes through");
        assertTrue(adapter().isConnected(), "an error answer is not an outage");
    }

    @Test
    void aSlowDaemonTimesOutAsAnOutage() {
        daemon.delayMs = 3_500; // the test profile waits 3 s
        OutboundMessage hi = new OutboundMessage(null, "chat", mapper.createObjectNode().put("text", "slow"),
                List.of());
        assertThrows(PlatformUnavailableException.class, () -> adapter().deliver(newNumber(), null, hi));
        daemon.delayMs = 0;
    }

    @Test
    void badLinesAndUnknownEventsAreSkippedWithoutDroppingTheConnection() throws Exception {
        String kim = newNumber();
        Chat c = dm(kim);
        int connections = daemon.connections.get();
        daemon.pushRaw("this is not json");
        daemon.pushRaw("[1,2,3]");
        daemon.pushRaw("{\"jsonrpc\":\"2.0\",\"method\":\"receive\"}");
        daemon.pushRaw("{\"jsonrpc\":\"2.0\",\"method\":\"receive\",\"params\":{\"envelope\":\"nope\"}}");
        daemon.pushRaw("{\"jsonrpc\":\"2.0\",\"method\":\"somethingNew\",\"params\":{\"x\":1}}");
        daemon.pushRaw("{\"jsonrpc\":\"2.0\",\"result\":{},\"id\":999999}");
        daemon.pushRaw("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"parse error\"},\"id\":null}");
        ObjectNode typing = Envelopes.from(kim, "Kim", daemon.now());
        typing.putObject("typingMessage").put("action", "STARTED").put("timestamp", 1);
        daemon.push(typing);
        ObjectNode receipt = Envelopes.from(kim, "Kim", daemon.now());
        receipt.putObject("receiptMessage").put("when", 1).put("isDelivery", true).putArray("timestamps").add(1);
        daemon.push(receipt);
        ObjectNode reaction = Envelopes.text(kim, "Kim", daemon.now(), null);
        Envelopes.data(reaction).putObject("reaction").put("emoji", "❤️").put("targetAuthor", ACCOUNT)
                .put("targetSentTimestamp", 1).put("isRemove", false);
        daemon.push(reaction);
        ObjectNode sync = Envelopes.from(ACCOUNT, "Me", daemon.now());
        sync.putObject("syncMessage").putObject("sentMessage").put("destination", kim).put("message", "mine");
        daemon.push(sync);
        ObjectNode noSource = Envelopes.text(kim, "Kim", daemon.now(), "who am i");
        noSource.remove(List.of("source", "sourceNumber", "sourceUuid"));
        daemon.push(noSource);
        ObjectNode empty = Envelopes.text(kim, "Kim", daemon.now(), null);
        Envelopes.data(empty).put("expiresInSeconds", 3600);
        daemon.push(empty);
        ObjectNode noTs = Envelopes.text(kim, "Kim", 0, "no timestamp");
        daemon.push(noTs);
        ObjectNode badEdit = Envelopes.from(kim, "Kim", daemon.now());
        badEdit.putObject("editMessage").put("targetSentTimestamp", "soon");
        daemon.push(badEdit);
        daemon.push(Envelopes.text(kim, "Kim", daemon.now(), "still here"));

        List<String[]> rows = awaitChatRows(c, 1);
        Thread.sleep(200);
        rows = chatRows(c);
        assertEquals(1, rows.size(), "only the real message");
        assertEquals("still here", json(rows.get(0)[1]).path("text").asText());
        assertEquals(connections, daemon.connections.get(), "no reconnect");
        assertTrue(adapter().isConnected());
    }
}
