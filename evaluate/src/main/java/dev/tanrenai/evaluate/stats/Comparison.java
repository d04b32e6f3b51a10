package dev.tanrenai.evaluate.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Candidate vs baseline (champion) on one metric of one suite, from {@link PairedBootstrap}.
 *
 * <p>{@code difference = candidate − baseline} in the metric's own direction; {@link #improvement()}
 * turns it so that positive is better (negated when lower is better). {@code ciLow..ciHigh} is the
 * percentile bootstrap interval of the difference and {@code standardError} the standard deviation of
 * the resampled differences; all three are NaN when no bootstrap ran ({@code resamples == 0}, see
 * {@code note}).
 *
 * @param metric the metric's name
 * @param higherIsBetter the metric's direction
 * @param baseline the metric on the baseline's items (NaN when there are none)
 * @param candidate the metric on the candidate's items
 * @param difference {@code candidate − baseline}
 * @param ciLow lower end of the percentile interval of the difference
 * @param ciHigh upper end
 * @param standardError bootstrap standard error of the difference
 * @param items paired items
 * @param clusters distinct clusters among them (the resampling units)
 * @param resamples bootstrap resamples drawn (0 when none could be)
 * @param seed the bootstrap seed
 * @param confidence the interval's nominal coverage
 * @param mcnemar McNemar's exact test for a binary metric, null otherwise
 * @param note why there is no interval, or empty
 */
public record Comparison(
        String metric,
        boolean higherIsBetter,
        double baseline,
        double candidate,
        double difference,
        double ciLow,
        double ciHigh,
        double standardError,
        int items,
        int clusters,
        int resamples,
        long seed,
        double confidence,
        McNemarResult mcnemar,
        String note) {

    /** {@code z_{0.975} + z_{0.80}}: a two-sided 5% test with 80% power. */
    public static final double MDE_MULTIPLIER = Normal.quantile(0.975) + Normal.quantile(0.8);

    public Comparison {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(note, "note");
        if (items < 0 || clusters < 0 || clusters > items || (items == 0) != (clusters == 0)) {
            throw new IllegalArgumentException(
                    "comparison " + metric + ": " + items + " items in " + clusters + " clusters is impossible");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("comparison " + metric + ": confidence " + confidence);
        }
        if (resamples < 0) {
            throw new IllegalArgumentException("comparison " + metric + ": resamples " + resamples);
        }
        double expected = candidate - baseline;
        if (!(Double.isNaN(expected) && Double.isNaN(difference))
                && !(Math.abs(difference - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))) {
            throw new IllegalArgumentException("comparison " + metric + ": difference " + difference
                    + " is not candidate − baseline = " + expected);
        }
        if (resamples > 0) {
            if (!(Double.isFinite(ciLow) && Double.isFinite(ciHigh) && ciLow <= ciHigh)) {
                throw new IllegalArgumentException(
                        "comparison " + metric + ": interval [" + ciLow + ", " + ciHigh + "] is not ordered");
            }
            if (!(standardError >= 0 && Double.isFinite(standardError))) {
                throw new IllegalArgumentException("comparison " + metric + ": standard error " + standardError);
            }
        } else if (!Double.isNaN(ciLow) || !Double.isNaN(ciHigh) || !Double.isNaN(standardError)) {
            throw new IllegalArgumentException("comparison " + metric + ": an interval without resamples");
        } else if (note.isEmpty()) {
            throw new IllegalArgumentException("comparison " + metric + ": no interval needs a note saying why");
        }
    }

    /** The difference oriented so that positive is better: {@code difference}, negated when lower is better. */
    public double improvement() {
        return higherIsBetter ? difference : -difference;
    }

    /** Lower end of the improvement's interval ({@code −ciHigh} when lower is better). */
    public double improvementCiLow() {
        return higherIsBetter ? ciLow : -ciHigh;
    }

    /** Upper end of the improvement's interval ({@code −ciLow} when lower is better). */
    public double improvementCiHigh() {
        return higherIsBetter ? ciHigh : -ciLow;
    }

    /**
     * The minimum detectable effect: the smallest true difference a two-sided 5% test detects with 80%
     * power at this standard error, {@code (z_{0.975} + z_{0.80}) · standardError ≈ 2.80 · SE}; NaN
     * without a standard error.
     */
    public double mde() {
        return MDE_MULTIPLIER * standardError;
    }

    /** Whether the interval lies strictly on the better side of 0. */
    public boolean significantImprovement() {
        return resamples > 0 && improvementCiLow() > 0;
    }

    /** Whether the interval lies strictly on the worse side of 0. */
    public boolean significantRegression() {
        return resamples > 0 && improvementCiHigh() < 0;
    }

    /** The fields and derived numbers as a map for report JSON; NaN becomes null. */
    public Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("metric", metric);
        map.put("higherIsBetter", higherIsBetter);
        map.put("baseline", finite(baseline));
        map.put("candidate", finite(candidate));
        map.put("difference", finite(difference));
        map.put("ciLow", finite(ciLow));
        map.put("ciHigh", finite(ciHigh));
        map.put("standardError", finite(standardError));
        map.put("improvement", finite(improvement()));
        map.put("improvementCiLow", finite(improvementCiLow()));
        map.put("improvementCiHigh", finite(improvementCiHigh()));
        map.put("mde", finite(mde()));
        map.put("items", items);
        map.put("clusters", clusters);
        map.put("resamples", resamples);
        map.put("seed", seed);
        map.put("confidence", confidence);
        map.put("mcnemar", mcnemar == null ? null : mcnemar.describe());
        map.put("note", note.isEmpty() ? null : note);
        return map;
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
