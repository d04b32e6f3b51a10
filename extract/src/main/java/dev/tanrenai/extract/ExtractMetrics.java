package dev.tanrenai.extract;

import dev.tanrenai.beam.StageCounters;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;

/** The extract stage's Beam counters after a run, by name ({@code valid}, {@code quarantined.<reason>}). */
public final class ExtractMetrics {
    private ExtractMetrics() {}

    public static Map<String, Long> counters(PipelineResult result) {
        return StageCounters.of(result, ValidateConversations.NAMESPACE);
    }
}
