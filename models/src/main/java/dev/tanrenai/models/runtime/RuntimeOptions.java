package dev.tanrenai.models.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to load one model into a {@link LlamaRuntime}.
 *
 * <p><b>nativeDir</b>: java-llama.cpp extracts its native library into a directory when the
 * {@code LlamaModel} class is first initialised and loads it from there; that directory must exist
 * or loading fails with {@code UnsatisfiedLinkError}. {@link LlamaRuntime#load} creates this
 * directory and sets the system property {@code de.kherud.llama.tmpdir} to it before it touches
 * {@code LlamaModel}. The library loads once per JVM, so only the first load's {@code nativeDir} takes
 * effect; later ones are created but not used.
 *
 * @param baseModel the base model GGUF file
 * @param adapters LoRA adapters applied at load, each at its scale; several, or any scale other than 1, are
 *     composed into one adapter by {@link AdapterComposer} (java-llama.cpp 4.2.0 loads one, at scale 1)
 * @param contextLength context window in tokens, >= 16
 * @param threads CPU threads for generation and prompt processing, >= 1
 * @param batchSize logical batch size for prompt processing, >= 1
 * @param nativeDir where the native library is extracted (created if missing)
 * @param embeddings whether {@link LlamaRuntime#embed} is enabled
 * @param pooling the embedding pooling; required (defaults to LAST) when embeddings are on, null otherwise
 * @param seed the default sampler seed of the loaded context, 0..2^31-1
 */
public record RuntimeOptions(
        Path baseModel,
        List<LoraAdapterRef> adapters,
        int contextLength,
        int threads,
        int batchSize,
        Path nativeDir,
        boolean embeddings,
        EmbeddingPooling pooling,
        long seed) {

    public RuntimeOptions {
        Objects.requireNonNull(baseModel, "baseModel must not be null");
        baseModel = baseModel.toAbsolutePath().normalize();
        adapters = adapters == null ? List.of() : List.copyOf(adapters);
        if (contextLength < 16) {
            throw new IllegalArgumentException("contextLength must be >= 16, got " + contextLength);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        Objects.requireNonNull(nativeDir, "nativeDir must not be null");
        nativeDir = nativeDir.toAbsolutePath().normalize();
        if (embeddings && pooling == null) {
            pooling = EmbeddingPooling.LAST;
        }
        if (!embeddings && pooling != null) {
            throw new IllegalArgumentException("pooling " + pooling + " given but embeddings are off");
        }
        if (seed < 0 || seed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("seed must be in 0.." + Integer.MAX_VALUE + ", got " + seed);
        }
    }

    /** Defaults for {@code baseModel}: no adapters, 2048 context, 2 threads, batch 512, no embeddings, seed 42. */
    public static RuntimeOptions defaults(Path baseModel, Path nativeDir) {
        return new RuntimeOptions(baseModel, List.of(), 2048, 2, 512, nativeDir, false, null, 42);
    }

    public RuntimeOptions withAdapters(List<LoraAdapterRef> newAdapters) {
        return new RuntimeOptions(
                baseModel, newAdapters, contextLength, threads, batchSize, nativeDir, embeddings, pooling, seed);
    }

    public RuntimeOptions withContextLength(int newContextLength) {
        return new RuntimeOptions(
                baseModel, adapters, newContextLength, threads, batchSize, nativeDir, embeddings, pooling, seed);
    }

    public RuntimeOptions withThreads(int newThreads) {
        return new RuntimeOptions(
                baseModel, adapters, contextLength, newThreads, batchSize, nativeDir, embeddings, pooling, seed);
    }

    /** These options with embeddings on, pooled as given. */
    public RuntimeOptions withEmbeddings(EmbeddingPooling newPooling) {
        return new RuntimeOptions(
                baseModel, adapters, contextLength, threads, batchSize, nativeDir, true, newPooling, seed);
    }
}
