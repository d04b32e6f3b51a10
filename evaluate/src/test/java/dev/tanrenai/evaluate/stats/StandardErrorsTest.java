package dev.tanrenai.evaluate.stats;

import static dev.tanrenai.evaluate.stats.StatsFixtures.MEAN;
import static dev.tanrenai.evaluate.stats.StatsFixtures.NLL_PER_TOKEN;
import static dev.tanrenai.evaluate.stats.StatsFixtures.item;
import static dev.tanrenai.evaluate.stats.StatsFixtures.ratioItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardErrorsTest {

    private static final List<ItemScore> ONES =
            List.of(item("a", "a", 1), item("b", "b", 0), item("c", "c", 1), item("d", "d", 1));

    /** x = 1, 0, 1, 1: mean 0.75, s² = (3·0.0625 + 0.5625)/3 = 0.25, SE = 0.5/√4 = 0.25. */
    @Test
    void meanIsSampleSdOverRootN() {
        assertEquals(0.25, StandardErrors.of(MEAN, ONES), 1e-15);
    }

    /**
     * y = 2, 3, 5 over x = 1, 2, 2: R = 10/5 = 2, residuals y − 2x = 0, −1, 1, Σ² = 2, /(n − 1) = 1;
     * x̄ = 5/3; SE = 1/(√3 · 5/3) = √0.12.
     */
    @Test
    void ratioIsDeltaMethod() {
        List<ItemScore> items =
                List.of(ratioItem("a", "a", 2, 1), ratioItem("b", "b", 3, 2), ratioItem("c", "c", 5, 2));
        assertEquals(Math.sqrt(0.12), StandardErrors.of(NLL_PER_TOKEN, items), 1e-15);
        Metric bits = Metric.ratio("bits", "bits", "nll", "tokens", 1 / Math.log(2), false);
        assertEquals(Math.sqrt(0.12) / Math.log(2), StandardErrors.of(bits, items), 1e-15);
    }

    /** scale 2 then exp: a = 2·0.75 = 1.5, SE_a = 2·0.25 = 0.5, SE = e^1.5 · 0.5; exp(−x): e^−1.5 · 0.5. */
    @Test
    void transformByDeltaMethod() {
        Metric exp = new Metric("ppl", "", Metric.Kind.MEAN, "score", null, 2, Metric.Transform.EXP, false, false);
        assertEquals(Math.exp(1.5) * 0.5, StandardErrors.of(exp, ONES), 1e-14);
        Metric expNeg =
                new Metric("ppl", "", Metric.Kind.MEAN, "score", null, 2, Metric.Transform.EXP_NEG, false, false);
        assertEquals(Math.exp(-1.5) * 0.5, StandardErrors.of(expNeg, ONES), 1e-15);
    }

    @Test
    void undefinedBelowTwoItemsOrZeroDenominators() {
        assertTrue(Double.isNaN(StandardErrors.of(MEAN, List.of(item("a", "a", 1)))));
        assertTrue(Double.isNaN(StandardErrors.of(MEAN, List.of())));
        assertTrue(Double.isNaN(
                StandardErrors.of(NLL_PER_TOKEN, List.of(ratioItem("a", "a", 0, 0), ratioItem("b", "b", 0, 0)))));
    }
}
