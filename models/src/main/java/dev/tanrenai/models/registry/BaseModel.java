package dev.tanrenai.models.registry;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered base model GGUF.
 *
 * @param id {@code m-} plus the first 12 hex digits of the file's SHA-256
 * @param name unique human name (the file stem unless given)
 * @param path where the file is (inside the Tanrenai home when it was copied there)
 * @param sha256 the file's SHA-256, lower-case hex
 * @param architecture GGUF {@code general.architecture} (e.g. {@code llama}, {@code qwen2})
 * @param keyMetadata context_length, embedding_length, block_count, head_count, head_count_kv,
 *     vocab_size, file_type when the file declares them
 * @param sizeBytes file size
 * @param addedAt when it was registered
 */
public record BaseModel(
        String id,
        String name,
        Path path,
        String sha256,
        String architecture,
        Map<String, String> keyMetadata,
        long sizeBytes,
        Instant addedAt) {
    public BaseModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(architecture, "architecture");
        keyMetadata = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(keyMetadata)); // stable order
        Objects.requireNonNull(addedAt, "addedAt");
        if (!id.startsWith("m-")) {
            throw new IllegalArgumentException("base model ids start with m-, got " + id);
        }
    }
}
