package io.nanoclaw.host.usage;

import java.util.List;
import java.util.Locale;

/**
 * List prices of the Claude models, in USD per million tokens, to turn recorded usage into an estimated cost.
 * Taken from Anthropic's pricing page (platform.claude.com/docs/en/about-claude/pricing) on 2026-11-25. Cache
 * writes are priced at the 5-minute rate, the API's default (the token_usage table does not split 5 m and 1 h
 * writes), and the Batch API and long-context surcharges are not modelled: the proxy sees neither.
 *
 * <p>A model id matches the longest prefix below, so dated ids ({@code claude-sonnet-4-5-20250929}) and aliases
 * ({@code claude-sonnet-4-5}) both match. Unknown models (a local Ollama, an OpenAI-compatible server) cost 0;
 * their tokens are still counted.
 */
public final class ModelPrices {
    /** USD per million tokens. */
    public record Price(double input, double output, double cacheWrite, double cacheRead) {
        public static final Price FREE = new Price(0, 0, 0, 0);

        public double cost(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
            return (inputTokens * input + outputTokens * output + cacheReadTokens * cacheRead
                    + cacheWriteTokens * cacheWrite) / 1_000_000.0;
        }
    }

    private record Entry(String prefix, Price price) {}

    private static final Price OPUS_4_5 = new Price(5, 25, 6.25, 0.50);
    private static final Price OPUS_4 = new Price(15, 75, 18.75, 1.50);
    private static final Price SONNET = new Price(3, 15, 3.75, 0.30);
    private static final Price HAIKU_4_5 = new Price(1, 5, 1.25, 0.10);
    private static final Price HAIKU_3_5 = new Price(0.80, 4, 1, 0.08);
    private static final Price HAIKU_3 = new Price(0.25, 1.25, 0.30, 0.03);

    // Opus 4.5 and later cost a third of Opus 4 / 4.1, hence the minor versions; "claude-opus-4" then catches
    // 4, 4.0, 4.1 and the dated claude-opus-4-20250514.
    private static final List<Entry> TABLE = List.of(
            new Entry("claude-opus-4-5", OPUS_4_5),
            new Entry("claude-opus-4-6", OPUS_4_5),
            new Entry("claude-opus-4-7", OPUS_4_5),
            new Entry("claude-opus-4-8", OPUS_4_5),
            new Entry("claude-opus-4", OPUS_4),
            new Entry("claude-3-opus", OPUS_4),
            new Entry("claude-sonnet-4", SONNET),
            new Entry("claude-3-7-sonnet", SONNET),
            new Entry("claude-3-5-sonnet", SONNET),
            new Entry("claude-haiku-4", HAIKU_4_5),
            new Entry("claude-3-5-haiku", HAIKU_3_5),
            new Entry("claude-3-haiku", HAIKU_3));

    private ModelPrices() {}

    /** The price of a model id; {@link Price#FREE} for a model not in the table (or none). */
    public static Price of(String model) {
        String id = normalise(model);
        Entry best = null;
        for (Entry e : TABLE) {
            if (id.startsWith(e.prefix()) && (best == null || e.prefix().length() > best.prefix().length())) {
                best = e;
            }
        }
        return best == null ? Price.FREE : best.price();
    }

    public static boolean known(String model) {
        return of(model) != Price.FREE;
    }

    public static double cost(String model, long inputTokens, long outputTokens, long cacheReadTokens,
                              long cacheWriteTokens) {
        return of(model).cost(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens);
    }

    /** Router-style ids ({@code anthropic/claude-sonnet-4.5}) name the same models with a vendor and dots. */
    private static String normalise(String model) {
        if (model == null) {
            return "";
        }
        String id = model.strip().toLowerCase(Locale.ROOT);
        id = id.substring(id.lastIndexOf('/') + 1);
        return id.replace('.', '-');
    }
}
