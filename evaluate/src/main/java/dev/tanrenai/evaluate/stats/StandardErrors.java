package dev.tanrenai.evaluate.stats;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import java.util.List;

/**
 * Analytic standard errors of a metric over independent items, as lm-eval reports them (no
 * clustering; the bootstraps are the clustered alternative).
 *
 * <ul>
 *   <li>MEAN of {@code x_i} over {@code n} items: {@code SE = s/√n} with the sample standard deviation
 *       {@code s = √(Σ (x_i − x̄)² / (n − 1))}.
 *   <li>RATIO {@code R = Σ y_i / Σ x_i} (numerator {@code y}, denominator {@code x}): the delta-method
 *       standard error of the ratio estimator, {@code SE = √(Σ (y_i − R·x_i)² / (n − 1)) / (√n · x̄)}
 *       with {@code x̄ = Σ x_i / n}.
 * </ul>
 *
 * Then the metric's scale and transform: the aggregate {@code a = scale · (x̄ or R)} has {@code SE_a =
 * |scale| · SE}, and the reported value {@code f(a)} has, by the delta method, {@code |f'(a)| · SE_a}:
 * {@code SE_a} for the identity, {@code exp(a)·SE_a} for {@code exp}, {@code exp(−a)·SE_a} for
 * {@code exp(−x)}. NaN below two items or when the denominators sum to 0.
 */
public final class StandardErrors {

    private StandardErrors() {}

    /** The standard error of {@code metric} over {@code items}, by the formulas above. */
    public static double of(Metric metric, List<ItemScore> items) {
        int n = items.size();
        if (n < 2) {
            return Double.NaN;
        }
        double[] y = new double[n];
        double[] x = new double[n];
        double sumY = 0;
        double sumX = 0;
        for (int i = 0; i < n; i++) {
            y[i] = ClusterSums.numerator(metric, items.get(i));
            x[i] = ClusterSums.denominator(metric, items.get(i));
            sumY += y[i];
            sumX += x[i];
        }
        if (sumX == 0) {
            return Double.NaN;
        }
        // for a MEAN every x_i is 1, so R is the mean, y_i − R·x_i the deviation and x̄ = 1:
        // both cases are the same formula
        double ratio = sumY / sumX;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - ratio * x[i];
            squares += r * r;
        }
        double meanX = sumX / n;
        double se = Math.sqrt(squares / (n - 1)) / (Math.sqrt(n) * Math.abs(meanX));
        double aggregate = metric.scale() * ratio;
        double seAggregate = Math.abs(metric.scale()) * se;
        return switch (metric.transform()) {
            case IDENTITY -> seAggregate;
            case EXP -> Math.exp(aggregate) * seAggregate;
            case EXP_NEG -> Math.exp(-aggregate) * seAggregate;
        };
    }
}
