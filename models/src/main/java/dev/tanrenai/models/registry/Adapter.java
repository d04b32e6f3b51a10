package dev.tanrenai.models.registry;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered LoRA adapter GGUF for one base model.
 *
 * @param id {@code a-} plus the first 12 hex digits of the file's SHA-256
 * @param baseModelId the base model it was trained on
 * @param path where the file is (copied into the home's adapters directory)
 * @param sha256 the file's SHA-256, lower-case hex
 * @param architecture GGUF {@code general.architecture}, equal to the base model's
 * @param producingRunId the training run that produced it; null when unknown
 * @param datasetSnapshotId the dataset snapshot it was trained on; null when unknown
 * @param provenance free-form provenance (hyper-parameters, code version, ...)
 * @param sizeBytes file size
 * @param addedAt when it was registered
 */
public record Adapter(
        String id,
        String baseModelId,
        Path path,
        String sha256,
        String architecture,
        String producingRunId,
        String datasetSnapshotId,
        Map<String, String> provenance,
        long sizeBytes,
        Instant addedAt) {
    public Adapter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(baseModelId, "baseModelId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(architecture, "architecture");
        provenance = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(provenance)); // stable order
        Objects.requireNonNull(addedAt, "addedAt");
        if (!id.startsWith("a-")) {
            throw new IllegalArgumentException("adapter ids start with a-, got " + id);
        }
    }
}
