package io.nanoclaw.host.channels.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.ChannelStatus;
import io.nanoclaw.host.channels.http.HttpReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The adapter's small pieces, without a host. */
class DiscordPartsTest {
    @Test
    void withoutATokenTheChannelSaysWhyItIsOff() {
        DiscordChannel ch = new DiscordChannel(new DiscordConfig(Optional.empty(), DiscordConfig.DEFAULT_API_BASE_URL,
                Optional.empty()));
        assertEquals(Optional.of("DISCORD_BOT_TOKEN is not set"), ch.notConfigured());
        assertEquals(ChannelStatus.State.NOT_CONFIGURED, ch.status().state());
        assertFalse(new DiscordConfig(Optional.of("secret-token"), "x", Optional.empty()).toString()
                .contains("secret-token"), "the token never reaches a log line");
        assertEquals("abc", DiscordConfig.stripBotPrefix("Bot abc"));
    }

    @Test
    void intentsAreTheFiveTheAdapterNeeds() {
        assertEquals(1 + 512 + 1024 + 4096 + 32768, DiscordGateway.INTENTS);
        assertEquals("wss://gateway.discord.gg/?v=10&encoding=json",
                DiscordGateway.withQuery("wss://gateway.discord.gg"));
        assertEquals("wss://x/?v=10&encoding=json", DiscordGateway.withQuery("wss://x/"));
        assertTrue(DiscordGateway.fatal(4014).contains("Message Content Intent"));
        assertTrue(DiscordGateway.fatal(4004).contains("token was rejected"));
        assertNull(DiscordGateway.fatal(4000), "unknown error: reconnect");
        assertNull(DiscordGateway.fatal(4009), "session timed out: reconnect");
        assertNull(DiscordGateway.fatal(1006));
    }

    @Test
    void routesShareBucketsAsDiscordDoesAndNeverHoldTheInteractionToken() {
        assertEquals("PATCH /channels/1/messages/:id", RateLimits.route("PATCH", "/channels/1/messages/22"));
        assertEquals("PUT /channels/1/messages/:id/reactions",
                RateLimits.route("PUT", "/channels/1/messages/22/reactions/%F0%9F%91%8D/@me"));
        assertEquals("POST /channels/1/messages", RateLimits.route("POST", "/channels/1/messages"));
        assertEquals("POST /interactions/callback", RateLimits.route("POST", "/interactions/5/secret-tok/callback"));

        RateLimits limits = new RateLimits();
        limits.update("POST /channels/1/messages", new HttpReply(200, Map.of("x-ratelimit-remaining", List.of("0"),
                "x-ratelimit-reset-after", List.of("2.5")), new byte[0]));
        Duration w = limits.wait("POST /channels/1/messages");
        assertTrue(w.toMillis() > 2_000 && w.toMillis() <= 2_500, w.toString());
        assertEquals(Duration.ZERO, limits.wait("POST /channels/2/messages"));
        limits.update("POST /channels/3/messages", new HttpReply(200, Map.of("x-ratelimit-remaining", List.of("3"),
                "x-ratelimit-reset-after", List.of("2.5")), new byte[0]));
        assertEquals(Duration.ZERO, limits.wait("POST /channels/3/messages"));
    }

    @Test
    void idsAreSnowflakesAndEditedIdsLeadBackToTheMessage() {
        assertTrue(DiscordIds.isSnowflake("1234567890123456789"));
        assertFalse(DiscordIds.isSnowflake("../users/@me"));
        assertFalse(DiscordIds.isSnowflake(""));
        assertEquals("123", DiscordIds.messageId("123.e1772359500000"));
        assertEquals("123", DiscordIds.messageId("123"));
    }

    @Test
    void longTextIsSplitUnderTheLimitAtParagraphsThenWords() {
        String para = "a".repeat(1500);
        List<String> parts = DiscordOutbound.split(para + "\n\n" + para, 2000);
        assertEquals(List.of(para, para), parts);
        List<String> words = DiscordOutbound.split("word ".repeat(1000), 2000);
        assertTrue(words.stream().allMatch(p -> p.length() <= 2000));
        assertEquals(5000 - 1000, String.join("", words).replace(" ", "").length() + 0 * words.size());
        assertTrue(DiscordOutbound.split("", 2000).isEmpty());
    }

    @Test
    void mentionsReadAsNames() {
        ObjectMapper m = new ObjectMapper();
        var mentions = m.createArrayNode();
        mentions.addObject().put("id", "42").put("username", "nanobot");
        mentions.addObject().put("id", "7").put("username", "alice").put("global_name", "Alice");
        assertEquals("@nanobot hi @Alice and <@99>",
                DiscordInbound.mentionsToNames("<@42> hi <@!7> and <@99>", mentions));
    }
}
