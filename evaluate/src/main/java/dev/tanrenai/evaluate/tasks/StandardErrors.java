package dev.tanrenai.evaluate.tasks;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import java.util.List;

/**
 * The standard error lm-eval prints beside a task metric, kept small and package-private until the
 * shared {@code stats} helpers replace it.
 *
 * <ul>
 *   <li>A plain MEAN (e.g. {@code acc}): lm-eval's {@code mean_stderr}, the sample standard deviation
 *       (n − 1) over √n.
 *   <li>A transformed MEAN or a RATIO (perplexities, bits per byte; lm-eval bootstraps these): the
 *       delta method. For a ratio {@code r = Σx/Σy}, {@code se(r) = sqrt(Σ(x_i − r·y_i)² / (n − 1) / n) /
 *       mean(y)}; then times {@code |scale|}, and times the value for an exp transform.
 * </ul>
 * NaN for fewer than two items.
 */
final class StandardErrors {

    private StandardErrors() {}

    static double of(Metric metric, List<ItemScore> items) {
        int n = items.size();
        if (n < 2) {
            return Double.NaN;
        }
        double se;
        if (metric.kind() == Metric.Kind.MEAN) {
            double[] x =
                    items.stream().mapToDouble(i -> i.value(metric.numerator())).toArray();
            se = sampleSd(x) / Math.sqrt(n);
        } else {
            double sx = 0;
            double sy = 0;
            for (ItemScore i : items) {
                sx += i.value(metric.numerator());
                sy += i.value(metric.denominator());
            }
            if (sy == 0) {
                return Double.NaN;
            }
            double r = sx / sy;
            double ss = 0;
            for (ItemScore i : items) {
                double e = i.value(metric.numerator()) - r * i.value(metric.denominator());
                ss += e * e;
            }
            se = Math.sqrt(ss / (n - 1) / n) / (sy / n);
        }
        se *= Math.abs(metric.scale());
        return metric.transform() == Metric.Transform.IDENTITY ? se : se * metric.valueOf(items);
    }

    /** Sample standard deviation (n − 1 in the denominator). */
    static double sampleSd(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (x.length - 1));
    }
}
