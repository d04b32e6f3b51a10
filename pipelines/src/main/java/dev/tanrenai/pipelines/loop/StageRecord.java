package dev.tanrenai.pipelines.loop;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One stage of one nightly run as recorded in the store.
 *
 * @param state running, succeeded, reused (an earlier run's identical stage), skipped, failed
 * @param key SHA-256 of the stage's inputs, configuration and code version: equal keys are reused
 * @param inputHash SHA-256 of the stage's inputs alone
 * @param outputHash SHA-256 of its output (snapshot content, adapter file, evaluation report), or null
 * @param counts what it counted (conversations read, written, trained, ...)
 * @param output its typed result as JSON fields (snapshot ids, adapter id, evaluation id, decision)
 * @param error the error when it failed, or null
 */
public record StageRecord(
        LoopStage stage,
        String state,
        Instant started,
        Instant ended,
        int attempts,
        String key,
        String inputHash,
        String outputHash,
        Map<String, Long> counts,
        Map<String, Object> output,
        String error) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String REUSED = "reused";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    public StageRecord {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(state, "state");
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        output = output == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(output));
    }

    /** Seconds it took, or null while running. */
    public Double seconds() {
        return ended == null || started == null ? null : (ended.toEpochMilli() - started.toEpochMilli()) / 1000.0;
    }
}
