package dev.tanrenai.evaluate.stats;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The clustered percentile bootstrap of one model's metric, for single-model reporting: per cluster the
 * metric's numerator and denominator sums (item count for a MEAN); each resample draws as many clusters
 * as there are with replacement (seeded {@link java.util.SplittableRandom}) and computes {@code
 * metric.fromSums} of the drawn sums. The interval is the type-7 {@code (1 ± confidence)/2} quantiles of
 * the resampled values, the standard error their standard deviation. No items or a single cluster: no
 * interval (NaN) and a note.
 */
public final class OneSampleBootstrap {

    private OneSampleBootstrap() {}

    /**
     * The metric over {@code items} with its interval.
     *
     * @throws IllegalArgumentException when item ids repeat, an item lacks a metric value, or the metric
     *     is undefined on the sample or a resample
     */
    public static Estimate estimate(Metric metric, List<ItemScore> items, BootstrapSettings settings) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(settings, "settings");
        Set<String> ids = new HashSet<>();
        ClusterSums.Builder builder = new ClusterSums.Builder(2);
        for (ItemScore item : items) {
            if (!ids.add(item.itemId())) {
                throw new ItemMismatchException(
                        "estimate of " + metric.name() + ": item id " + item.itemId() + " appears twice",
                        List.of(item.itemId()));
            }
            builder.add(item.cluster(), ClusterSums.numerator(metric, item), ClusterSums.denominator(metric, item));
        }
        ClusterSums sums = builder.build();
        double[] totals = sums.totals();
        double value = metric.fromSums(totals[0], totals[1]);
        if (items.isEmpty() || sums.clusters() == 1) {
            String note =
                    items.isEmpty() ? "no items" : "all " + items.size() + " items are in one cluster: no interval";
            return new Estimate(
                    metric.name(),
                    metric.higherIsBetter(),
                    value,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    items.size(),
                    sums.clusters(),
                    0,
                    settings.seed(),
                    settings.confidence(),
                    note);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "metric " + metric.name() + " is undefined on the sample of " + items.size() + " items: " + value);
        }
        double[] draws = sums.resample(
                settings.resamples(),
                settings.seed(),
                s -> metric.fromSums(s[0], s[1]),
                "bootstrap of " + metric.name());
        ClusterSums.Interval interval = ClusterSums.Interval.of(draws, settings.confidence());
        return new Estimate(
                metric.name(),
                metric.higherIsBetter(),
                value,
                interval.low(),
                interval.high(),
                interval.standardError(),
                items.size(),
                sums.clusters(),
                settings.resamples(),
                settings.seed(),
                settings.confidence(),
                "");
    }
}
