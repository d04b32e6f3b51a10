package dev.tanrenai.evaluate.stats;

import static dev.tanrenai.evaluate.stats.StatsFixtures.ACC;
import static dev.tanrenai.evaluate.stats.StatsFixtures.MEAN;
import static dev.tanrenai.evaluate.stats.StatsFixtures.NLL_PER_TOKEN;
import static dev.tanrenai.evaluate.stats.StatsFixtures.accItem;
import static dev.tanrenai.evaluate.stats.StatsFixtures.item;
import static dev.tanrenai.evaluate.stats.StatsFixtures.ratioItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.evaluate.result.ItemScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

    private static final BootstrapSettings SETTINGS = new BootstrapSettings(10_000, 7, 0.95);

    /** 40 items in 8 clusters with seeded random scores. */
    private static List<ItemScore> randomItems(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ItemScore> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            items.add(item("i" + i, "c" + (i % 8), random.nextDouble()));
        }
        return items;
    }

    private static List<ItemScore> shifted(List<ItemScore> items, double shift) {
        List<ItemScore> out = new ArrayList<>();
        for (ItemScore it : items) {
            out.add(item(it.itemId(), it.cluster(), it.value("score") + shift));
        }
        return out;
    }

    @Test
    void identicalCandidateHasZeroDifferenceAndInterval() {
        List<ItemScore> items = randomItems(1);
        Comparison c = PairedBootstrap.compare(MEAN, items, items, SETTINGS);
        assertEquals(0, c.difference(), 0);
        assertEquals(0, c.ciLow(), 0);
        assertEquals(0, c.ciHigh(), 0);
        assertEquals(0, c.standardError(), 0);
        assertEquals(40, c.items());
        assertEquals(8, c.clusters());
        assertEquals(10_000, c.resamples());
        assertNull(c.mcnemar());
    }

    @Test
    void constantShiftGivesThatShiftAsInterval() {
        List<ItemScore> base = randomItems(2);
        Comparison c = PairedBootstrap.compare(MEAN, base, shifted(base, 0.3), SETTINGS);
        assertEquals(0.3, c.difference(), 1e-12);
        assertEquals(0.3, c.ciLow(), 1e-12);
        assertEquals(0.3, c.ciHigh(), 1e-12);
        assertEquals(0, c.standardError(), 1e-12);
        assertEquals(0.3, c.improvement(), 1e-12);
    }

    @Test
    void sameSeedSameIntervalOtherSeedSlightlyDifferent() {
        List<ItemScore> base = randomItems(3);
        List<ItemScore> cand = randomItems(4);
        Comparison a = PairedBootstrap.compare(MEAN, base, cand, SETTINGS);
        Comparison b = PairedBootstrap.compare(MEAN, base, cand, SETTINGS);
        Comparison other = PairedBootstrap.compare(MEAN, base, cand, SETTINGS.withSeed(8));
        assertEquals(a, b);
        assertNotEquals(a.ciLow(), other.ciLow());
        assertNotEquals(a.ciHigh(), other.ciHigh());
        double width = a.ciHigh() - a.ciLow();
        assertTrue(width > 0);
        assertEquals(a.ciLow(), other.ciLow(), 0.1 * width);
        assertEquals(a.ciHigh(), other.ciHigh(), 0.1 * width);
        assertEquals(a.standardError(), other.standardError(), 0.05 * a.standardError());
    }

    @Test
    void itemOrderDoesNotMatter() {
        List<ItemScore> base = randomItems(5);
        List<ItemScore> cand = randomItems(6);
        List<ItemScore> reversedBase = new ArrayList<>(base);
        java.util.Collections.reverse(reversedBase);
        Comparison a = PairedBootstrap.compare(MEAN, base, cand, SETTINGS);
        Comparison b = PairedBootstrap.compare(MEAN, reversedBase, cand, SETTINGS);
        // the same clusters are drawn; only the summation order inside a cluster differs
        assertEquals(a.difference(), b.difference(), 1e-14);
        assertEquals(a.ciLow(), b.ciLow(), 1e-14);
        assertEquals(a.ciHigh(), b.ciHigh(), 1e-14);
        assertEquals(a.standardError(), b.standardError(), 1e-14);
    }

    /**
     * 10 clusters of 10 items; every item of cluster g improves by d_g = g − 4.5. Resampling clusters,
     * the difference is the mean of 10 draws of d_g: its standard error is σ/√10 with the population sd
     * σ = √(Σ d_g² / 10) = √8.25. Treating the 100 items as independent (one cluster each) gives σ/√100,
     * √10 times too narrow.
     */
    @Test
    void clustersMoveTogether() {
        SplittableRandom random = new SplittableRandom(11);
        List<ItemScore> base = new ArrayList<>();
        List<ItemScore> cand = new ArrayList<>();
        List<ItemScore> baseUnclustered = new ArrayList<>();
        List<ItemScore> candUnclustered = new ArrayList<>();
        for (int g = 0; g < 10; g++) {
            for (int i = 0; i < 10; i++) {
                String id = g + "-" + i;
                double b = random.nextDouble();
                double d = g - 4.5;
                base.add(item(id, "conv" + g, b));
                cand.add(item(id, "conv" + g, b + d));
                baseUnclustered.add(item(id, id, b));
                candUnclustered.add(item(id, id, b + d));
            }
        }
        Comparison clustered = PairedBootstrap.compare(MEAN, base, cand, SETTINGS);
        Comparison perItem = PairedBootstrap.compare(MEAN, baseUnclustered, candUnclustered, SETTINGS);
        double sigma = Math.sqrt(8.25);
        assertEquals(sigma / Math.sqrt(10), clustered.standardError(), 0.03 * sigma / Math.sqrt(10));
        assertEquals(sigma / 10, perItem.standardError(), 0.03 * sigma / 10);
        double widthRatio = (clustered.ciHigh() - clustered.ciLow()) / (perItem.ciHigh() - perItem.ciLow());
        assertTrue(widthRatio > 2.5 && widthRatio < 4, "width ratio " + widthRatio + ", expected about √10");
        // the percentile interval of a mean of 10 draws is roughly ±1.96 standard errors
        assertEquals(-1.96 * sigma / Math.sqrt(10), clustered.ciLow(), 0.15 * sigma);
        assertEquals(10, clustered.clusters());
        assertEquals(100, perItem.clusters());
    }

    /**
     * Synthetic paired data with a known effect: 60 clusters of 1–4 items, candidate = baseline + 0.2 +
     * a cluster effect N(0, 0.5²) + item noise N(0, 1). The 95% intervals of 200 independent trials must
     * contain 0.2 in 89%–99% of them.
     */
    @Test
    void intervalsCoverTheTrueEffect() {
        double effect = 0.2;
        SplittableRandom random = new SplittableRandom(2024);
        BootstrapSettings settings = new BootstrapSettings(1000, 99, 0.95);
        int trials = 200;
        int covered = 0;
        for (int t = 0; t < trials; t++) {
            List<ItemScore> base = new ArrayList<>();
            List<ItemScore> cand = new ArrayList<>();
            for (int g = 0; g < 60; g++) {
                double clusterEffect = 0.5 * random.nextGaussian();
                int size = 1 + random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    String id = g + "-" + i;
                    double b = random.nextGaussian();
                    base.add(item(id, "c" + g, b));
                    cand.add(item(id, "c" + g, b + effect + clusterEffect + random.nextGaussian()));
                }
            }
            Comparison c = PairedBootstrap.compare(MEAN, base, cand, settings.withSeed(t));
            if (c.ciLow() <= effect && effect <= c.ciHigh()) {
                covered++;
            }
        }
        double coverage = (double) covered / trials;
        assertTrue(coverage >= 0.89 && coverage <= 0.99, "coverage " + coverage);
    }

    /**
     * Ratio of sums, lower is better. Baseline nll/tokens: (4/2, 6/3, 10/5) → 20/10 = 2; candidate
     * (3/2, 6/3, 6/5) → 15/10 = 1.5; difference −0.5, improvement +0.5.
     */
    @Test
    void ratioMetricLowerIsBetter() {
        List<ItemScore> base =
                List.of(ratioItem("a", "x", 4, 2), ratioItem("b", "y", 6, 3), ratioItem("c", "z", 10, 5));
        List<ItemScore> cand = List.of(ratioItem("a", "x", 3, 2), ratioItem("b", "y", 6, 3), ratioItem("c", "z", 6, 5));
        Comparison c = PairedBootstrap.compare(NLL_PER_TOKEN, base, cand, SETTINGS);
        assertEquals(2, c.baseline(), 1e-15);
        assertEquals(1.5, c.candidate(), 1e-15);
        assertEquals(-0.5, c.difference(), 1e-15);
        assertEquals(0.5, c.improvement(), 1e-15);
        assertEquals(-c.ciHigh(), c.improvementCiLow(), 0);
        assertEquals(-c.ciLow(), c.improvementCiHigh(), 0);
        // per-cluster differences are −0.5, 0, −0.8: any resample lies within [−0.8, 0]
        assertTrue(c.ciLow() >= -0.8 - 1e-12 && c.ciHigh() <= 1e-12, c.ciLow() + ".." + c.ciHigh());
        assertEquals(Comparison.MDE_MULTIPLIER * c.standardError(), c.mde(), 1e-15);
        assertEquals(1.959963984540054 + 0.8416212335729143, Comparison.MDE_MULTIPLIER, 1e-14);
    }

    /** Baseline acc 1,1,0,0,1,0; candidate 0,1,1,1,1,0: b = 1 (item 0), c = 2 (items 2, 3); p = 2·4/8 → 1. */
    @Test
    void binaryMetricCarriesMcNemar() {
        double[] b = {1, 1, 0, 0, 1, 0};
        double[] c = {0, 1, 1, 1, 1, 0};
        List<ItemScore> base = new ArrayList<>();
        List<ItemScore> cand = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            base.add(accItem("q" + i, "d" + i, b[i]));
            cand.add(accItem("q" + i, "d" + i, c[i]));
        }
        Comparison cmp = PairedBootstrap.compare(ACC, base, cand, SETTINGS);
        assertEquals(new McNemarResult(1, 2, 1.0), cmp.mcnemar());
        assertEquals(0.5, cmp.baseline(), 1e-15);
        assertEquals(4.0 / 6, cmp.candidate(), 1e-15);
        base.set(0, accItem("q0", "d0", 0.5));
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.compare(ACC, base, cand, SETTINGS));
    }

    @Test
    void oneClusterOrNoItemsHasNoInterval() {
        List<ItemScore> base = List.of(item("a", "only", 1), item("b", "only", 2));
        List<ItemScore> cand = List.of(item("a", "only", 2), item("b", "only", 4));
        Comparison one = PairedBootstrap.compare(MEAN, base, cand, SETTINGS);
        assertEquals(1.5, one.difference(), 1e-15);
        assertTrue(Double.isNaN(one.ciLow()) && Double.isNaN(one.ciHigh()) && Double.isNaN(one.standardError()));
        assertTrue(Double.isNaN(one.mde()));
        assertTrue(one.note().contains("one cluster"), one.note());
        assertEquals(0, one.resamples());
        Map<String, Object> json = one.describe();
        assertNull(json.get("ciLow"));
        assertNull(json.get("mde"));
        assertEquals(1.5, (Double) json.get("difference"), 1e-15);

        Comparison none = PairedBootstrap.compare(MEAN, List.of(), List.of(), SETTINGS);
        assertTrue(Double.isNaN(none.baseline()) && Double.isNaN(none.difference()));
        assertTrue(none.note().contains("no items"), none.note());
        assertNull(none.describe().get("baseline"));
    }

    @Test
    void mismatchedItemsNameTheIds() {
        List<ItemScore> base = List.of(item("a", "x", 1), item("b", "x", 1), item("c", "y", 1));
        List<ItemScore> cand = List.of(item("a", "x", 1), item("c", "y", 1), item("z", "y", 1));
        ItemMismatchException e =
                assertThrows(ItemMismatchException.class, () -> PairedBootstrap.compare(MEAN, base, cand, SETTINGS));
        assertTrue(e.getMessage().contains("lacks 1 baseline item(s) [b]"), e.getMessage());
        assertTrue(e.getMessage().contains("1 item(s) the baseline lacks [z]"), e.getMessage());
        assertEquals(List.of("b", "z"), e.itemIds());

        List<ItemScore> moved = List.of(item("a", "x", 1), item("b", "y", 1), item("c", "y", 1));
        ItemMismatchException m =
                assertThrows(ItemMismatchException.class, () -> PairedBootstrap.compare(MEAN, base, moved, SETTINGS));
        assertTrue(m.getMessage().contains("b (x vs y)"), m.getMessage());

        List<ItemScore> twice = List.of(item("a", "x", 1), item("a", "x", 2), item("c", "y", 1));
        ItemMismatchException d =
                assertThrows(ItemMismatchException.class, () -> PairedBootstrap.compare(MEAN, twice, base, SETTINGS));
        assertTrue(d.getMessage().contains("duplicated item id(s) [a]"), d.getMessage());
    }

    @Test
    void fiveThousandItemsTenThousandResamplesIsFast() {
        SplittableRandom random = new SplittableRandom(5);
        List<ItemScore> base = new ArrayList<>();
        List<ItemScore> cand = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            base.add(ratioItem("i" + i, "c" + i, random.nextDouble() * 100, 50));
            cand.add(ratioItem("i" + i, "c" + i, random.nextDouble() * 100, 50));
        }
        PairedBootstrap.compare(NLL_PER_TOKEN, base, cand, SETTINGS); // warm-up
        long start = System.nanoTime();
        Comparison c = PairedBootstrap.compare(NLL_PER_TOKEN, base, cand, SETTINGS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(5000, c.clusters());
        assertTrue(seconds < 2, "took " + seconds + " s");
    }
}
