package io.nanoclaw.runner.tools.builtin;

/**
 * Answers WebFetch's prompt about a fetched page, as Claude Code does with a small, fast model: the agent then reads
 * a short answer instead of the whole page. Without one, WebFetch returns the page itself.
 */
@FunctionalInterface
public interface Summarizer {
    /**
     * @param prompt  what the agent wants to know about the page
     * @param content the page as Markdown-ish text
     * @return the answer to hand back to the agent
     */
    String answer(String prompt, String content) throws Exception;
}
