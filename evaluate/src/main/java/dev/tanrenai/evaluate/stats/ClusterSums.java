package dev.tanrenai.evaluate.stats;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Per-cluster sums of a few item values (for a metric: its numerator and denominator sums, per model),
 * precomputed once so that a bootstrap resample costs one draw and {@code width} additions per cluster,
 * whatever the number of items. Clusters are ordered by id, so the draws do not depend on item order.
 */
final class ClusterSums {

    private final int clusters;
    private final int width;
    private final double[] sums;

    private ClusterSums(int clusters, int width, double[] sums) {
        this.clusters = clusters;
        this.width = width;
        this.sums = sums;
    }

    /** The numerator value of {@code item} for {@code metric}. */
    static double numerator(Metric metric, ItemScore item) {
        return item.value(metric.numerator());
    }

    /** The denominator value of {@code item} for {@code metric}: 1 (one item) for a MEAN. */
    static double denominator(Metric metric, ItemScore item) {
        return metric.kind() == Metric.Kind.RATIO ? item.value(metric.denominator()) : 1;
    }

    int clusters() {
        return clusters;
    }

    /** The sums over all clusters (the full sample), one per column. */
    double[] totals() {
        double[] totals = new double[width];
        for (int g = 0; g < clusters; g++) {
            for (int k = 0; k < width; k++) {
                totals[k] += sums[g * width + k];
            }
        }
        return totals;
    }

    /**
     * The bootstrap distribution of {@code statistic}: {@code resamples} times, draw {@code clusters()}
     * clusters uniformly with replacement (one {@link SplittableRandom} seeded with {@code seed}), add up
     * their sums, and evaluate the statistic on those totals. Returned sorted ascending.
     *
     * @param what names the statistic in the error when a resample leaves it undefined
     * @throws IllegalArgumentException when the statistic is not finite on some resample (e.g. a ratio
     *     whose resampled denominator is 0)
     */
    double[] resample(int resamples, long seed, ToDoubleFunction<double[]> statistic, String what) {
        if (clusters == 0) {
            throw new IllegalStateException(what + ": no clusters to resample");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] acc = new double[width];
        double[] draws = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            if (width == 4) {
                draw4(random, acc);
            } else {
                Arrays.fill(acc, 0);
                for (int j = 0; j < clusters; j++) {
                    int offset = random.nextInt(clusters) * width;
                    for (int k = 0; k < width; k++) {
                        acc[k] += sums[offset + k];
                    }
                }
            }
            double value = statistic.applyAsDouble(acc);
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(what + ": bootstrap resample " + r + " of " + resamples
                        + " gives " + value + " (sums " + Arrays.toString(acc) + "); the metric is undefined on"
                        + " some resamples, e.g. a ratio over clusters whose denominators are all 0");
            }
            draws[r] = value;
        }
        Arrays.sort(draws);
        return draws;
    }

    /** One resample of the paired case, with the four sums in locals (about twice as fast). */
    private void draw4(SplittableRandom random, double[] acc) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int j = 0; j < clusters; j++) {
            int offset = random.nextInt(clusters) << 2;
            s0 += sums[offset];
            s1 += sums[offset + 1];
            s2 += sums[offset + 2];
            s3 += sums[offset + 3];
        }
        acc[0] = s0;
        acc[1] = s1;
        acc[2] = s2;
        acc[3] = s3;
    }

    /**
     * The percentile interval and standard deviation of sorted bootstrap draws.
     *
     * @param low the type-7 {@code (1 − confidence)/2} quantile of the draws
     * @param high the type-7 {@code (1 + confidence)/2} quantile
     * @param standardError the sample standard deviation of the draws ({@code n − 1} denominator)
     */
    record Interval(double low, double high, double standardError) {

        static Interval of(double[] sortedDraws, double confidence) {
            double mean = 0;
            for (double d : sortedDraws) {
                mean += d;
            }
            mean /= sortedDraws.length;
            double squares = 0;
            for (double d : sortedDraws) {
                squares += (d - mean) * (d - mean);
            }
            return new Interval(
                    Quantiles.ofSorted(sortedDraws, (1 - confidence) / 2),
                    Quantiles.ofSorted(sortedDraws, (1 + confidence) / 2),
                    Math.sqrt(squares / (sortedDraws.length - 1)));
        }
    }

    /** Accumulates item values into their cluster's row. */
    static final class Builder {
        private final int width;
        private final Map<String, double[]> rows = new TreeMap<>();
        private int items;

        Builder(int width) {
            this.width = width;
        }

        /** Adds one item's {@code width} values to {@code cluster}'s sums. */
        Builder add(String cluster, double... values) {
            if (values.length != width) {
                throw new IllegalArgumentException("expected " + width + " values, got " + values.length);
            }
            double[] row = rows.computeIfAbsent(cluster, c -> new double[width]);
            for (int k = 0; k < width; k++) {
                row[k] += values[k];
            }
            items++;
            return this;
        }

        int items() {
            return items;
        }

        ClusterSums build() {
            double[] sums = new double[rows.size() * width];
            int g = 0;
            for (double[] row : rows.values()) {
                System.arraycopy(row, 0, sums, g * width, width);
                g++;
            }
            return new ClusterSums(rows.size(), width, sums);
        }
    }
}
