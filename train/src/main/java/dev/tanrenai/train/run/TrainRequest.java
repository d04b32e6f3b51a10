package dev.tanrenai.train.run;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.train.loop.TrainConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to train.
 *
 * @param baseModel the base GGUF, the very file llama.cpp serves
 * @param baseModelId its registry id (or another stable name) for provenance
 * @param dataset the conversations to learn from
 * @param lora the new adapter's shape; ignored, except for dropout, when continuing an adapter
 * @param config the hyper-parameters
 * @param continueFrom an adapter GGUF to continue training (e.g. the champion), or null for a new one
 * @param continueFromId its registry id, or null
 * @param runsDir where run directories are made ({@code <runsDir>/<runId>})
 * @param resume continue the run's newest checkpoint when it has one
 * @param nativeDir where llama.cpp's native library goes (rendering and tokenizing use it)
 */
public record TrainRequest(
        Path baseModel,
        String baseModelId,
        DatasetSnapshot dataset,
        LoraConfig lora,
        TrainConfig config,
        Path continueFrom,
        String continueFromId,
        Path runsDir,
        boolean resume,
        Path nativeDir) {

    public TrainRequest {
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(baseModelId, "baseModelId");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(runsDir, "runsDir");
        Objects.requireNonNull(nativeDir, "nativeDir");
        if (continueFrom == null && continueFromId != null) {
            throw new IllegalArgumentException("continueFromId " + continueFromId + " given without its file");
        }
    }
}
