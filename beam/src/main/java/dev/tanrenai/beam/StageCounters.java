package dev.tanrenai.beam;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** A stage's Beam counters after a run, by name: committed values where the runner has them, else attempted. */
public final class StageCounters {
    private StageCounters() {}

    public static Map<String, Long> of(PipelineResult result, String namespace) {
        Map<String, Long> out = new TreeMap<>();
        for (MetricResult<Long> c :
                result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
            if (c.getName().getNamespace().equals(namespace)) {
                out.merge(c.getName().getName(), value(c), Long::sum);
            }
        }
        return out;
    }

    private static long value(MetricResult<Long> c) {
        try {
            return c.getCommitted();
        } catch (UnsupportedOperationException e) {
            return c.getAttempted(); // the runner does not commit metrics (e.g. some Flink modes)
        }
    }
}
