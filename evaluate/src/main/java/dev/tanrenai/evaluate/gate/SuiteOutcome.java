package dev.tanrenai.evaluate.gate;

import dev.tanrenai.evaluate.stats.Comparison;
import dev.tanrenai.evaluate.stats.Estimate;
import dev.tanrenai.evaluate.suite.SuiteInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gate reads of one suite: candidate vs baseline per metric, the KL estimate when the suite
 * has one, and the must-pass probes the candidate failed.
 *
 * @param suite the suite
 * @param comparisons paired comparisons by metric name
 * @param klMean the candidate's mean per-token KL to the baseline with its interval, or null
 * @param failedMustPass ids of must-pass probes the candidate failed, with their outputs (probe suites)
 */
public record SuiteOutcome(
        SuiteInfo suite, Map<String, Comparison> comparisons, Estimate klMean, Map<String, String> failedMustPass) {

    public SuiteOutcome {
        Objects.requireNonNull(suite, "suite");
        comparisons = Map.copyOf(comparisons);
        failedMustPass = failedMustPass == null ? Map.of() : Map.copyOf(failedMustPass);
    }

    public Optional<Comparison> comparison(String metric) {
        return Optional.ofNullable(comparisons.get(metric));
    }

    public List<String> metrics() {
        return comparisons.keySet().stream().sorted().toList();
    }
}
