package dev.tanrenai.evaluate.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One model's metric on one suite with its clustered bootstrap interval, from {@link
 * OneSampleBootstrap}; {@code ciLow}, {@code ciHigh} and {@code standardError} are NaN when no bootstrap
 * ran ({@code resamples == 0}, see {@code note}).
 *
 * @param metric the metric's name
 * @param higherIsBetter the metric's direction
 * @param value the metric over all items (NaN when there are none)
 * @param ciLow lower end of the percentile interval
 * @param ciHigh upper end
 * @param standardError standard deviation of the resampled values
 * @param items items
 * @param clusters distinct clusters among them
 * @param resamples resamples drawn (0 when none could be)
 * @param seed the bootstrap seed
 * @param confidence the interval's nominal coverage
 * @param note why there is no interval, or empty
 */
public record Estimate(
        String metric,
        boolean higherIsBetter,
        double value,
        double ciLow,
        double ciHigh,
        double standardError,
        int items,
        int clusters,
        int resamples,
        long seed,
        double confidence,
        String note) {

    public Estimate {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(note, "note");
        if (items < 0 || clusters < 0 || clusters > items || (items == 0) != (clusters == 0)) {
            throw new IllegalArgumentException(
                    "estimate " + metric + ": " + items + " items in " + clusters + " clusters is impossible");
        }
        if (!(confidence > 0 && confidence < 1) || resamples < 0) {
            throw new IllegalArgumentException(
                    "estimate " + metric + ": confidence " + confidence + ", resamples " + resamples);
        }
        if (resamples > 0) {
            if (!(Double.isFinite(value) && ciLow <= ciHigh && Double.isFinite(ciLow) && Double.isFinite(ciHigh))) {
                throw new IllegalArgumentException(
                        "estimate " + metric + ": " + value + " in [" + ciLow + ", " + ciHigh + "]");
            }
            if (!(standardError >= 0 && Double.isFinite(standardError))) {
                throw new IllegalArgumentException("estimate " + metric + ": standard error " + standardError);
            }
        } else if (!Double.isNaN(ciLow) || !Double.isNaN(ciHigh) || !Double.isNaN(standardError) || note.isEmpty()) {
            throw new IllegalArgumentException(
                    "estimate " + metric + ": without resamples the interval is NaN and a note says why");
        }
    }

    /** The fields as a map for report JSON; NaN becomes null. */
    public Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("metric", metric);
        map.put("higherIsBetter", higherIsBetter);
        map.put("value", Comparison.finite(value));
        map.put("ciLow", Comparison.finite(ciLow));
        map.put("ciHigh", Comparison.finite(ciHigh));
        map.put("standardError", Comparison.finite(standardError));
        map.put("items", items);
        map.put("clusters", clusters);
        map.put("resamples", resamples);
        map.put("seed", seed);
        map.put("confidence", confidence);
        map.put("note", note.isEmpty() ? null : note);
        return map;
    }
}
