package dev.tanrenai.evaluate.stats;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import java.util.List;
import java.util.Objects;

/**
 * The paired, clustered percentile bootstrap of {@code metric(candidate) − metric(baseline)} on the
 * same items.
 *
 * <ol>
 *   <li>Pair the items by id ({@link ItemMismatchException} unless both sides hold the same ids in the
 *       same clusters).
 *   <li>Per cluster, sum the metric's numerator and denominator (item count for a MEAN) on each side.
 *   <li>Each resample draws as many clusters as there are, uniformly with replacement, from a
 *       {@link java.util.SplittableRandom} seeded by the settings, adds up the drawn clusters' four sums
 *       and computes {@code metric.fromSums} per side and their difference. Resampling whole clusters
 *       keeps the correlation between the items of a conversation or document, and resampling pairs
 *       (the same clusters on both sides) keeps the correlation between the models.
 *   <li>The interval is the type-7 {@code (1 − confidence)/2} and {@code (1 + confidence)/2} quantiles of
 *       the resampled differences; the standard error their standard deviation.
 * </ol>
 *
 * With no items, or all of them in one cluster, there is no between-cluster variation to resample: the
 * comparison has the point values and NaN for the interval, with a note. For a binary metric McNemar's
 * exact test on the paired items is attached.
 */
public final class PairedBootstrap {

    private PairedBootstrap() {}

    /**
     * Compares {@code candidate} with {@code baseline} on {@code metric}.
     *
     * @throws ItemMismatchException when the sides do not hold the same items in the same clusters
     * @throws IllegalArgumentException when an item lacks a metric value, a binary value is not 0/1, or the
     *     metric is undefined on the sample or a resample
     */
    public static Comparison compare(
            Metric metric, List<ItemScore> baseline, List<ItemScore> candidate, BootstrapSettings settings) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(settings, "settings");
        List<PairedItems> pairs = PairedItems.pair(baseline, candidate);
        ClusterSums.Builder builder = new ClusterSums.Builder(4);
        for (PairedItems pair : pairs) {
            builder.add(
                    pair.baseline().cluster(),
                    ClusterSums.numerator(metric, pair.baseline()),
                    ClusterSums.denominator(metric, pair.baseline()),
                    ClusterSums.numerator(metric, pair.candidate()),
                    ClusterSums.denominator(metric, pair.candidate()));
        }
        ClusterSums sums = builder.build();
        McNemarResult mcnemar = metric.binary() ? mcnemar(metric, pairs) : null;
        double[] totals = sums.totals();
        double base = metric.fromSums(totals[0], totals[1]);
        double cand = metric.fromSums(totals[2], totals[3]);
        if (pairs.isEmpty() || sums.clusters() == 1) {
            String note = pairs.isEmpty()
                    ? "no items: nothing to compare"
                    : "all " + pairs.size() + " items are in one cluster: a clustered bootstrap has no"
                            + " between-cluster variation to resample, so there is no interval";
            return new Comparison(
                    metric.name(),
                    metric.higherIsBetter(),
                    base,
                    cand,
                    cand - base,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    pairs.size(),
                    sums.clusters(),
                    0,
                    settings.seed(),
                    settings.confidence(),
                    mcnemar,
                    note);
        }
        if (!Double.isFinite(base) || !Double.isFinite(cand)) {
            throw new IllegalArgumentException("metric " + metric.name() + " is undefined on the sample: baseline "
                    + base + ", candidate " + cand + " over " + pairs.size() + " items");
        }
        double[] draws = sums.resample(
                settings.resamples(),
                settings.seed(),
                s -> metric.fromSums(s[2], s[3]) - metric.fromSums(s[0], s[1]),
                "paired bootstrap of " + metric.name());
        ClusterSums.Interval interval = ClusterSums.Interval.of(draws, settings.confidence());
        return new Comparison(
                metric.name(),
                metric.higherIsBetter(),
                base,
                cand,
                cand - base,
                interval.low(),
                interval.high(),
                interval.standardError(),
                pairs.size(),
                sums.clusters(),
                settings.resamples(),
                settings.seed(),
                settings.confidence(),
                mcnemar,
                "");
    }

    /** Counts the discordant pairs of a binary metric: b = baseline 1 and candidate 0, c = the reverse. */
    static McNemarResult mcnemar(Metric metric, List<PairedItems> pairs) {
        int b = 0;
        int c = 0;
        for (PairedItems pair : pairs) {
            boolean base = binaryValue(metric, pair.baseline());
            boolean cand = binaryValue(metric, pair.candidate());
            if (base && !cand) {
                b++;
            } else if (!base && cand) {
                c++;
            }
        }
        return McNemarResult.of(b, c);
    }

    /** The 0/1 value of a binary metric, or an error naming the item. */
    static boolean binaryValue(Metric metric, ItemScore item) {
        double v = item.value(metric.numerator());
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException("binary metric " + metric.name() + ": item " + item.itemId() + " has "
                    + metric.numerator() + " = " + v + ", expected 0 or 1");
        }
        return v == 1;
    }
}
