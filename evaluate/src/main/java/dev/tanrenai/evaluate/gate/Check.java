package dev.tanrenai.evaluate.gate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One check of the gate, with its numbers and its reason in words.
 *
 * @param name what is checked, e.g. {@code heldout improves}
 * @param suite the suite it reads
 * @param metric the metric it reads, or null (presence, probes)
 * @param kind the kind of check
 * @param passed whether it passed
 * @param reason why, in words with the numbers
 * @param observed the number compared, on the metric's own axis: the difference candidate − baseline for
 *     comparisons (a fall in NLL is negative), the candidate's mean KL, a count of failed probes; or NaN
 * @param threshold the bound on the same axis (e.g. {@code −min_improvement} for a lower-is-better metric), or NaN
 * @param ciLow the observed number's interval, or NaN
 * @param ciHigh the upper end, or NaN
 */
public record Check(
        String name,
        String suite,
        String metric,
        Kind kind,
        boolean passed,
        String reason,
        double observed,
        double threshold,
        double ciLow,
        double ciHigh) {

    /** The kinds of check the policy has. */
    public enum Kind {
        /** A suite the policy requires was evaluated. */
        PRESENT,
        /** The candidate is better on new data (the interval lies above a minimum effect). */
        IMPROVEMENT,
        /** The candidate is not worse by more than a budget (the interval's upper bound is under it). */
        NON_INFERIORITY,
        /** The candidate's distribution stays within a KL budget of the baseline's. */
        KL_BUDGET,
        /** The candidate is not significantly worse. */
        NO_SIGNIFICANT_LOSS,
        /** Every must-pass probe passes. */
        MUST_PASS;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(kind, "kind");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("check " + name + " needs a reason in words");
        }
    }

    static Check failed(String name, String suite, String metric, Kind kind, String reason) {
        return new Check(name, suite, metric, kind, false, reason, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** For report JSON (NaN as null). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("suite", suite);
        m.put("metric", metric);
        m.put("kind", kind.id());
        m.put("passed", passed);
        m.put("reason", reason);
        m.put("observed", finite(observed));
        m.put("threshold", finite(threshold));
        m.put("ciLow", finite(ciLow));
        m.put("ciHigh", finite(ciHigh));
        return m;
    }

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
