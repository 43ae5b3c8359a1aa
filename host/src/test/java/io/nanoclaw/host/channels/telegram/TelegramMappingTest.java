package io.nanoclaw.host.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts: mention detection, display names, text chunks. */
class TelegramMappingTest {
    static final TelegramInbound.Bot BOT = new TelegramInbound.Bot(42, "Nano_Bot");
    final ObjectMapper mapper = new ObjectMapper();

    private ArrayNode entity(String type, int offset, int length) {
        ArrayNode a = mapper.createArrayNode();
        a.addObject().put("type", type).put("offset", offset).put("length", length);
        return a;
    }

    @Test
    void mentionsAreFoundByEntityNotBySubstring() {
        assertTrue(TelegramInbound.mentions("hi @nano_bot", entity("mention", 3, 9), BOT));
        assertFalse(TelegramInbound.mentions("hi @nano_bot2", entity("mention", 3, 10), BOT));
        assertFalse(TelegramInbound.mentions("hi @nano_bot", mapper.createArrayNode(), BOT),
                "text that looks like a mention without the entity is not one");
        assertTrue(TelegramInbound.mentions("/help@Nano_Bot", entity("bot_command", 0, 14), BOT));
        assertFalse(TelegramInbound.mentions("/help", entity("bot_command", 0, 5), BOT),
                "a bare command in a group may be for another bot");
        // offsets count UTF-16 units: an emoji before the mention takes two
        assertTrue(TelegramInbound.mentions("😀 @nano_bot", entity("mention", 3, 9), BOT));
        assertFalse(TelegramInbound.mentions("short", entity("mention", 3, 90), BOT), "bad offsets are ignored");
        ArrayNode textMention = mapper.createArrayNode();
        textMention.addObject().put("type", "text_mention").put("offset", 0).put("length", 4).putObject("user")
                .put("id", 42);
        assertTrue(TelegramInbound.mentions("Nano, hi", textMention, BOT));
    }

    @Test
    void displayNames() {
        ObjectNode u = mapper.createObjectNode().put("id", 7).put("first_name", "Ada").put("last_name", "L");
        assertEquals("Ada L", TelegramInbound.displayName(u));
        assertEquals("ada", TelegramInbound.displayName(mapper.createObjectNode().put("id", 7)
                .put("username", "ada")));
        assertEquals("7", TelegramInbound.displayName(mapper.createObjectNode().put("id", 7)));
    }

    @Test
    void longTextIsCutAtLineOrWordBreaks() {
        String text = "a".repeat(3000) + "\n" + "b".repeat(3000);
        assertEquals(List.of("a".repeat(3000), "b".repeat(3000)), TelegramOutbound.chunks(text, 4096));
        List<String> words = TelegramOutbound.chunks("word ".repeat(2000).strip(), 4096);
        assertTrue(words.stream().allMatch(c -> c.length() <= 4096 && !c.startsWith(" ")));
        assertEquals(String.join(" ", words), "word ".repeat(2000).strip());
        assertEquals(List.of("x".repeat(4096), "x"), TelegramOutbound.chunks("x".repeat(4097), 4096));
    }
}
