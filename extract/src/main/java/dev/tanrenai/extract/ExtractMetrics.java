package dev.tanrenai.extract;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The extract stage's Beam counters after a run, by name ({@code valid}, {@code quarantined.<reason>}). */
public final class ExtractMetrics {
    private ExtractMetrics() {}

    public static Map<String, Long> counters(PipelineResult result) {
        MetricQueryResults metrics =
                result.metrics().queryMetrics(MetricsFilter.builder().build());
        Map<String, Long> out = new TreeMap<>();
        for (MetricResult<Long> c : metrics.getCounters()) {
            if (c.getName().getNamespace().equals(ValidateConversations.NAMESPACE)) {
                out.merge(c.getName().getName(), attempted(c), Long::sum);
            }
        }
        return out;
    }

    private static long attempted(MetricResult<Long> c) {
        try {
            return c.getCommitted();
        } catch (UnsupportedOperationException e) {
            return c.getAttempted();
        }
    }
}
