package io.nanoclaw.runner.dispatch;

import io.nanoclaw.runner.format.InternalTags;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's final text split as agent-runner.md 4.2 reads it: every {@code <message to="name">…</message>}
 * block (body trimmed, not unescaped), and the scratchpad, the text outside the blocks minus {@code <internal>},
 * which is never sent.
 */
public record MessageBlocks(List<Block> blocks, String scratchpad) {
    /** A reluctant body with a literal end tag: linear on the input (no nested quantifiers). */
    private static final Pattern BLOCK = Pattern.compile("<message\\s+to=\"([^\"]+)\"\\s*>([\\s\\S]*?)</message>");

    public record Block(String to, String body) {}

    public static MessageBlocks parse(String finalText) {
        String text = finalText == null ? "" : finalText;
        List<Block> blocks = new ArrayList<>();
        StringBuilder outside = new StringBuilder();
        Matcher m = BLOCK.matcher(text);
        int last = 0;
        while (m.find()) {
            outside.append(text, last, m.start());
            blocks.add(new Block(m.group(1), m.group(2).strip()));
            last = m.end();
        }
        outside.append(text, last, text.length());
        return new MessageBlocks(List.copyOf(blocks), InternalTags.strip(outside.toString()));
    }
}
