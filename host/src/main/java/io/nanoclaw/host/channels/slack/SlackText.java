package io.nanoclaw.host.channels.slack;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack's text both ways. Inbound, Slack's markup ({@code <@U123>}, {@code <#C1|general>}, {@code <url|label>},
 * {@code &amp;}) becomes plain text an agent reads easily. Outbound, the agent's Markdown becomes Slack's mrkdwn:
 * {@code & < >} escaped as Slack requires, {@code **bold**} → {@code *bold*}, {@code [label](url)} →
 * {@code <url|label>}, {@code # Heading} → {@code *Heading*}, {@code ~~x~~} → {@code ~x~}; code blocks untouched.
 * Also the emoji names reactions.add wants.
 */
final class SlackText {
    private SlackText() {}

    private static final Pattern MARKUP = Pattern.compile("<([^<>]*)>");
    private static final Pattern MD_LINK = Pattern.compile("\\[([^\\]\\n|]+)\\]\\((https?://[^)\\s]+)\\)");
    private static final Pattern MD_BOLD = Pattern.compile("\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*");
    private static final Pattern MD_STRIKE = Pattern.compile("~~(?=\\S)(.+?)(?<=\\S)~~");
    private static final Pattern MD_HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*$");

    /** Slack markup → plain text; {@code userName} names a user id (it may answer the id itself). */
    static String toPlain(String text, Function<String, String> userName) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        Matcher m = MARKUP.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(plainOf(m.group(1), userName)));
        }
        m.appendTail(sb);
        return unescape(sb.toString());
    }

    private static String plainOf(String inner, Function<String, String> userName) {
        int bar = inner.indexOf('|');
        String target = bar >= 0 ? inner.substring(0, bar) : inner;
        String label = bar >= 0 ? inner.substring(bar + 1) : null;
        if (target.startsWith("@")) {
            return "@" + (label != null && !label.isEmpty() ? label : userName.apply(target.substring(1)));
        }
        if (target.startsWith("#")) {
            return "#" + (label != null && !label.isEmpty() ? label : target.substring(1));
        }
        if (target.startsWith("!")) {
            String special = target.substring(1);
            if (label != null) {
                return label;
            }
            return special.startsWith("subteam^") ? "@team" : "@" + special;
        }
        String url = target.startsWith("mailto:") ? target.substring(7) : target;
        return label == null || label.isEmpty() || label.equals(url) ? url : label + " (" + url + ")";
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The agent's Markdown as Slack mrkdwn, escaped. */
    static String toMrkdwn(String markdown) {
        if (markdown == null || markdown.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        boolean inFence = false;
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
                out.append(escape(line));
            } else if (inFence) {
                out.append(escape(line));
            } else {
                out.append(convertLine(line));
            }
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String convertLine(String line) {
        // inline code spans stay as they are (escaped only)
        StringBuilder out = new StringBuilder();
        String[] parts = line.split("`", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i % 2 == 1 && i < parts.length - 1) {
                out.append('`').append(escape(p)).append('`');
                continue;
            }
            if (i % 2 == 1) {
                out.append('`'); // an unclosed backtick
            }
            String e = escape(p);
            Matcher h = MD_HEADING.matcher(e);
            if (i == 0 && h.matches()) {
                e = "*" + h.group(1) + "*";
            }
            e = MD_BOLD.matcher(e).replaceAll("*$1*");
            e = MD_STRIKE.matcher(e).replaceAll("~$1~");
            Matcher l = MD_LINK.matcher(e);
            StringBuilder sb = new StringBuilder();
            while (l.find()) {
                l.appendReplacement(sb, Matcher.quoteReplacement("<" + l.group(2) + "|" + l.group(1) + ">"));
            }
            l.appendTail(sb);
            out.append(sb);
        }
        return out.toString();
    }

    private static final Map<String, String> EMOJI = Map.ofEntries(
            Map.entry("👍", "+1"), Map.entry("👎", "-1"), Map.entry("✅", "white_check_mark"),
            Map.entry("✔", "heavy_check_mark"), Map.entry("❤", "heart"), Map.entry("👀", "eyes"),
            Map.entry("🎉", "tada"), Map.entry("🙏", "pray"), Map.entry("😂", "joy"), Map.entry("😊", "blush"),
            Map.entry("🔥", "fire"), Map.entry("👌", "ok_hand"), Map.entry("❌", "x"), Map.entry("⚠", "warning"),
            Map.entry("🤔", "thinking_face"), Map.entry("👋", "wave"), Map.entry("💯", "100"),
            Map.entry("🚀", "rocket"), Map.entry("⏳", "hourglass_flowing_sand"), Map.entry("✨", "sparkles"),
            Map.entry("😀", "grinning"), Map.entry("🙂", "slightly_smiling_face"), Map.entry("😢", "cry"),
            Map.entry("👏", "clap"), Map.entry("😄", "smile"), Map.entry("😉", "wink"), Map.entry("🤖", "robot_face"),
            Map.entry("💡", "bulb"), Map.entry("📌", "pushpin"), Map.entry("⭐", "star"), Map.entry("🆗", "ok"),
            Map.entry("❓", "question"), Map.entry("❗", "exclamation"), Map.entry("🙌", "raised_hands"),
            Map.entry("💪", "muscle"), Map.entry("😮", "open_mouth"), Map.entry("😅", "sweat_smile"));

    /** The name reactions.add wants: a known Unicode emoji mapped, {@code :name:} without colons, else as given. */
    static String emojiName(String emoji) {
        if (emoji == null) {
            return "";
        }
        String e = emoji.strip();
        if (e.length() > 2 && e.startsWith(":") && e.endsWith(":")) {
            return e.substring(1, e.length() - 1);
        }
        String bare = e.replace("\uFE0F", "").replace("\uFE0E", "");
        String named = EMOJI.get(bare);
        return named != null ? named : e;
    }
}
