package dev.tanrenai.evaluate.stats;

import static dev.tanrenai.evaluate.stats.StatsFixtures.MEAN;
import static dev.tanrenai.evaluate.stats.StatsFixtures.NLL_PER_TOKEN;
import static dev.tanrenai.evaluate.stats.StatsFixtures.item;
import static dev.tanrenai.evaluate.stats.StatsFixtures.ratioItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.evaluate.result.ItemScore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneSampleBootstrapTest {

    private static final BootstrapSettings SETTINGS = new BootstrapSettings(10_000, 3, 0.95);

    /**
     * 20 clusters of 5 items, all items of cluster g scoring g: the value is the mean 9.5, and the
     * bootstrap SE of a mean of 20 cluster draws is the population sd √(Σ (g − 9.5)²/20) = √33.25 over √20.
     */
    @Test
    void standardErrorOfClusteredMean() {
        List<ItemScore> items = new ArrayList<>();
        for (int g = 0; g < 20; g++) {
            for (int i = 0; i < 5; i++) {
                items.add(item(g + "-" + i, "c" + g, g));
            }
        }
        Estimate e = OneSampleBootstrap.estimate(MEAN, items, SETTINGS);
        assertEquals(9.5, e.value(), 1e-12);
        double se = Math.sqrt(33.25) / Math.sqrt(20);
        assertEquals(se, e.standardError(), 0.03 * se);
        assertEquals(9.5 - 1.96 * se, e.ciLow(), 0.1 * se);
        assertEquals(9.5 + 1.96 * se, e.ciHigh(), 0.1 * se);
        assertEquals(100, e.items());
        assertEquals(20, e.clusters());
        assertEquals(e, OneSampleBootstrap.estimate(MEAN, items, SETTINGS));
    }

    /** Every cluster has nll/tokens = 3 (6/2, 9/3, 3/1): every resample gives 3 exactly. */
    @Test
    void constantRatioHasDegenerateInterval() {
        List<ItemScore> items =
                List.of(ratioItem("a", "x", 6, 2), ratioItem("b", "y", 9, 3), ratioItem("c", "z", 3, 1));
        Estimate e = OneSampleBootstrap.estimate(NLL_PER_TOKEN, items, SETTINGS);
        assertEquals(3, e.value(), 0);
        assertEquals(3, e.ciLow(), 1e-15);
        assertEquals(3, e.ciHigh(), 1e-15);
        assertEquals(0, e.standardError(), 1e-15);
    }

    @Test
    void oneClusterHasNoInterval() {
        Estimate e = OneSampleBootstrap.estimate(MEAN, List.of(item("a", "c", 1), item("b", "c", 3)), SETTINGS);
        assertEquals(2, e.value(), 0);
        assertTrue(Double.isNaN(e.ciLow()));
        assertTrue(e.note().contains("one cluster"));
        assertNull(e.describe().get("standardError"));
        Estimate none = OneSampleBootstrap.estimate(MEAN, List.of(), SETTINGS);
        assertTrue(Double.isNaN(none.value()));
    }

    @Test
    void repeatedIdsAndUndefinedResamplesFail() {
        assertThrows(
                ItemMismatchException.class,
                () -> OneSampleBootstrap.estimate(MEAN, List.of(item("a", "c", 1), item("a", "d", 3)), SETTINGS));
        // one of two clusters has no tokens: a resample drawing it twice has Σ tokens = 0
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> OneSampleBootstrap.estimate(
                        NLL_PER_TOKEN, List.of(ratioItem("a", "x", 1, 1), ratioItem("b", "y", 0, 0)), SETTINGS));
        assertTrue(e.getMessage().contains("bootstrap of nll_per_token"), e.getMessage());
    }
}
