package dev.tanrenai.curate;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The curate stage's Beam counters after a run, by name. */
public final class CurateMetrics {
    public static final String NAMESPACE = "curate";

    private CurateMetrics() {}

    public static Map<String, Long> counters(PipelineResult result) {
        Map<String, Long> out = new TreeMap<>();
        for (MetricResult<Long> c :
                result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
            if (c.getName().getNamespace().equals(NAMESPACE)) {
                long v;
                try {
                    v = c.getCommitted();
                } catch (UnsupportedOperationException e) {
                    v = c.getAttempted();
                }
                out.merge(c.getName().getName(), v, Long::sum);
            }
        }
        return out;
    }
}
