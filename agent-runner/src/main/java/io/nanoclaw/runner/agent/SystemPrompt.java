package io.nanoclaw.runner.agent;

import io.nanoclaw.runner.config.RunnerConfig;

/**
 * The system prompt. Byte-stable for a given config (no timestamps, no per-call data), so the API's prompt cache
 * can match it. CLAUDE.md, skills and the destinations addendum join it in later issues.
 */
public final class SystemPrompt {
    private SystemPrompt() {}

    public static String build(RunnerConfig config) {
        String name = config.assistantName();
        StringBuilder sb = new StringBuilder();
        if (name != null) {
            sb.append("You are ").append(name).append(", a personal assistant. Use the name ").append(name)
                    .append(" when asked who you are, when introducing yourself, and when signing a message.");
        } else {
            sb.append("You are a personal assistant.");
        }
        sb.append("\n\n")
                .append("Messages reach you as <message> elements with the sender and the local time; scheduled ")
                .append("tasks arrive as <task> elements. A <context timezone=\"...\" /> header names the user's ")
                .append("time zone: read and write times in that zone.\n\n")
                .append("Your reply is sent as a chat message to where the message came from, so write plain, ")
                .append("concise chat text. Anything inside <internal>...</internal> is removed before sending: ")
                .append("use it for notes to yourself.");
        return sb.toString();
    }
}
