package io.nanoclaw.host.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelPricesTest {
    @Test
    void aliasesAndDatedIdsMatchByPrefix() {
        assertEquals(new ModelPrices.Price(3, 15, 3.75, 0.30), ModelPrices.of("claude-sonnet-4-5"));
        assertEquals(ModelPrices.of("claude-sonnet-4-5"), ModelPrices.of("claude-sonnet-4-5-20250929"));
        assertEquals(ModelPrices.of("claude-sonnet-4-5"), ModelPrices.of("claude-sonnet-4-20250514"));
        assertEquals(new ModelPrices.Price(1, 5, 1.25, 0.10), ModelPrices.of("claude-haiku-4-5-20251001"));
        assertEquals(new ModelPrices.Price(0.80, 4, 1, 0.08), ModelPrices.of("claude-3-5-haiku-latest"));
    }

    @Test
    void opusFourFiveAndLaterCostLessThanOpusFourAndFourOne() {
        ModelPrices.Price old = new ModelPrices.Price(15, 75, 18.75, 1.50);
        ModelPrices.Price cheap = new ModelPrices.Price(5, 25, 6.25, 0.50);
        assertEquals(old, ModelPrices.of("claude-opus-4-1"));
        assertEquals(old, ModelPrices.of("claude-opus-4-1-20250805"));
        assertEquals(old, ModelPrices.of("claude-opus-4-20250514"));
        assertEquals(old, ModelPrices.of("claude-opus-4-0"));
        assertEquals(cheap, ModelPrices.of("claude-opus-4-5-20251101"));
        assertEquals(cheap, ModelPrices.of("claude-opus-4-6"));
    }

    @Test
    void routerStyleIdsNameTheSameModels() {
        assertEquals(ModelPrices.of("claude-sonnet-4-5"), ModelPrices.of("anthropic/claude-sonnet-4.5"));
        assertEquals(ModelPrices.of("claude-haiku-4-5"), ModelPrices.of("Claude-Haiku-4-5"));
    }

    @Test
    void unknownModelsAreFree() {
        for (String m : new String[] {"llama3.2", "qwen2.5-coder:7b", "gpt-4o-mini", "", null, "claude"}) {
            assertEquals(ModelPrices.Price.FREE, ModelPrices.of(m), m);
            assertFalse(ModelPrices.known(m));
        }
        assertTrue(ModelPrices.known("claude-sonnet-4-6"));
        assertEquals(0.0, ModelPrices.cost("llama3.2", 1_000_000, 1_000_000, 5, 5));
    }

    @Test
    void costAddsTheFourRates() {
        // 1M input at $3, 0.5M output at $15, 2M cache reads at $0.30, 0.1M cache writes at $3.75
        assertEquals(3 + 7.5 + 0.6 + 0.375,
                ModelPrices.cost("claude-sonnet-4-5", 1_000_000, 500_000, 2_000_000, 100_000), 1e-9);
    }
}
