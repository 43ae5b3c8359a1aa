package io.nanoclaw.host.channels.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Slack markup in, mrkdwn out, emoji names, ts and ids: plain functions, no host. */
class SlackTextTest {
    @Test
    void slackMarkupBecomesPlainText() {
        assertEquals("@Alice see #general and @here: a < b & c, docs (https://x.org/a?b=1), https://y.org, "
                        + "me@example.org",
                SlackText.toPlain("<@U100> see <#C1|general> and <!here>: a &lt; b &amp; c, <https://x.org/a?b=1|docs>, "
                        + "<https://y.org>, <mailto:me@example.org|me@example.org>", id -> id.equals("U100") ? "Alice"
                        : id));
        assertEquals("", SlackText.toPlain(null, id -> id));
    }

    @Test
    void markdownBecomesEscapedMrkdwnButCodeStaysAsWritten() {
        assertEquals("*Title*\n*bold* and ~gone~ <https://a.b/c|link> 1 &lt; 2 &amp;&amp; `x **y** &lt;z&gt;`\n"
                        + "```\n**not bold** &lt;tag&gt;\n```",
                SlackText.toMrkdwn("# Title\n**bold** and ~~gone~~ [link](https://a.b/c) 1 < 2 && `x **y** <z>`\n"
                        + "```\n**not bold** <tag>\n```"));
    }

    @Test
    void emojiNamesForReactions() {
        assertEquals("+1", SlackText.emojiName("👍"));
        assertEquals("heart", SlackText.emojiName("❤️"));
        assertEquals("white_check_mark", SlackText.emojiName("✅"));
        assertEquals("eyes", SlackText.emojiName(" 👀 "));
        assertEquals("tada", SlackText.emojiName(":tada:"));
        assertEquals("party_parrot", SlackText.emojiName("party_parrot"));
    }

    @Test
    void timestampsAndEditedIds() {
        assertEquals("2024-04-05T19:14:38.000100Z", SlackInbound.iso("1712344478.000100"));
        assertEquals("1712344478.000100", SlackOutbound.baseTs("1712344478.000100.e1712344499.000200"));
        assertEquals("1712344478.000100", SlackOutbound.baseTs("1712344478.000100"));
    }
}
