package io.nanoclaw.runner.agent;

import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.tools.builtin.Summarizer;
import java.util.List;

/**
 * WebFetch's answerer: one tool-less call to the agent's own model with the page and the question, so the agent's
 * context gets a short answer instead of the whole page (Claude Code uses a small model for this; we use the
 * group's model, the only one its credentials are known to reach).
 */
public final class ModelSummarizer implements Summarizer {
    static final String SYSTEM = "You answer a question about a web page using only the page's content below. Be "
            + "concise; quote exact figures, names and code where they matter; say so when the page doesn't "
            + "answer the question.";
    /** The page is cut before it goes to the model: the answer needs the gist, not 10 MB. */
    static final int MAX_PAGE_CHARS = 100_000;

    private final ModelProvider provider;

    public ModelSummarizer(ModelProvider provider) {
        this.provider = provider;
    }

    @Override
    public String answer(String prompt, String content) throws Exception {
        String page = content.length() <= MAX_PAGE_CHARS ? content : content.substring(0, MAX_PAGE_CHARS);
        ModelReply reply = provider.complete(new ModelRequest(SYSTEM,
                List.of(Turns.user("<page>\n" + page + "\n</page>\n\nQuestion: " + prompt))));
        String text = reply.text() == null ? "" : reply.text().strip();
        if (text.isEmpty()) {
            throw new IllegalStateException("the model gave no answer");
        }
        return text;
    }
}
