package dev.tanrenai.curate;

import dev.tanrenai.beam.StageCounters;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;

/** The curate stage's Beam counters (namespace {@code curate}) after a run, by name. */
public final class CurateMetrics {
    public static final String NAMESPACE = "curate";

    private CurateMetrics() {}

    public static Map<String, Long> counters(PipelineResult result) {
        return StageCounters.of(result, NAMESPACE);
    }
}
