package dev.tanrenai.models.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A LoRA adapter GGUF to apply when a model is loaded (llama.cpp applies adapters only at load).
 *
 * @param path the adapter GGUF file ({@code general.type = adapter})
 * @param scale the user scale applied on top of the adapter's own {@code alpha / r}; finite (NaN and
 *     infinities are rejected), 0 means no effect, a negative scale subtracts the adapter
 */
public record LoraAdapterRef(Path path, float scale) {
    public LoraAdapterRef {
        Objects.requireNonNull(path, "adapter path must not be null");
        path = path.toAbsolutePath().normalize();
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("adapter scale must be finite, got " + scale + " for " + path);
        }
    }

    /** An adapter applied at its own strength (scale 1). */
    public static LoraAdapterRef of(Path path) {
        return new LoraAdapterRef(path, 1.0f);
    }
}
