package dev.tanrenai.train.run;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.train.loop.TrainingLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A finished run.
 *
 * @param runId {@code t-} and 12 hex digits of the run's fingerprint: the same inputs give the same id
 * @param runDir its directory (checkpoints, metrics, exports, {@code train-run.json})
 * @param adapterGguf the adapter for llama.cpp
 * @param adapterSha256 its SHA-256
 * @param peftDir the adapter for Hugging Face PEFT
 * @param provenance everything recorded in {@code train-run.json}, flattened for the registry
 * @param data what became of the data
 * @param loop how training went
 * @param trainedOn the dataset's conversations that were trained on (for the replay buffer)
 */
public record TrainResult(
        String runId,
        Path runDir,
        Path adapterGguf,
        String adapterSha256,
        Path peftDir,
        Map<String, String> provenance,
        DataReport data,
        TrainingLoop.Result loop,
        List<Conversation> trainedOn) {
    public TrainResult {
        provenance = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(provenance));
        trainedOn = List.copyOf(trainedOn);
    }
}
