package dev.tanrenai.models.gguf;

import java.util.OptionalInt;

/**
 * How much memory llama.cpp needs to run a GGUF model at a context length: the weights (every
 * tensor's data, as stored) plus the KV cache in f16, llama.cpp's default cache type:
 * {@code n_layer × context × n_kv_heads × (key_length + value_length) × 2 bytes}, where the head
 * sizes are {@code <arch>.attention.key_length}/{@code value_length} when declared, else
 * {@code embedding_length / head_count}, and {@code n_kv_heads} is {@code head_count_kv} (else
 * {@code head_count}). Compute buffers (tens of MiB) are not included.
 *
 * @param weightBytes bytes of tensor data
 * @param kvCacheBytes bytes of the f16 KV cache at {@code context}
 * @param context the context length the cache is sized for
 */
public record MemoryEstimate(
        long weightBytes, long kvCacheBytes, int layers, int kvHeads, int keyLength, int valueLength, int context) {

    /** Bytes per KV cache element: f16. */
    public static final int KV_BYTES = 2;

    public MemoryEstimate {
        if (weightBytes < 0
                || kvCacheBytes < 0
                || layers < 1
                || kvHeads < 1
                || keyLength < 1
                || valueLength < 1
                || context < 1) {
            throw new IllegalArgumentException("a memory estimate needs positive sizes, got weights " + weightBytes
                    + ", layers " + layers + ", kv heads " + kvHeads + ", head sizes " + keyLength + "/" + valueLength
                    + ", context " + context);
        }
    }

    public long totalBytes() {
        return weightBytes + kvCacheBytes;
    }

    /**
     * The estimate for {@code file} at {@code context} tokens.
     *
     * @throws GgufMetadataException naming the key when the architecture's block count, embedding
     *     length or head count is missing
     */
    public static MemoryEstimate of(GgufFile file, int context) {
        if (context < 1) {
            throw new IllegalArgumentException("context must be >= 1, got " + context);
        }
        GgufMetadata md = file.metadata();
        String arch = md.optionalString("general.architecture")
                .orElseThrow(() -> new GgufMetadataException(
                        "general.architecture",
                        file.path() + ": general.architecture is missing; cannot size the KV cache"));
        int layers = required(md, file, arch + ".block_count");
        int heads = required(md, file, arch + ".attention.head_count");
        OptionalInt kvHeadsKey = md.optionalInt(arch + ".attention.head_count_kv");
        int kvHeads = kvHeadsKey.isPresent() ? kvHeadsKey.getAsInt() : heads;
        OptionalInt keyKey = md.optionalInt(arch + ".attention.key_length");
        OptionalInt valueKey = md.optionalInt(arch + ".attention.value_length");
        int headDim =
                keyKey.isPresent() && valueKey.isPresent() ? 0 : required(md, file, arch + ".embedding_length") / heads;
        int keyLength = keyKey.isPresent() ? keyKey.getAsInt() : headDim;
        int valueLength = valueKey.isPresent() ? valueKey.getAsInt() : headDim;
        long weights = 0;
        for (GgufTensorInfo t : file.tensors()) {
            weights += t.byteSize();
        }
        long kv = (long) layers * context * kvHeads * (long) (keyLength + valueLength) * KV_BYTES;
        return new MemoryEstimate(weights, kv, layers, kvHeads, keyLength, valueLength, context);
    }

    private static int required(GgufMetadata md, GgufFile file, String key) {
        OptionalInt v = md.optionalInt(key);
        if (v.isEmpty() || v.getAsInt() < 1) {
            throw new GgufMetadataException(
                    key, file.path() + ": " + key + " is missing or not positive; cannot size the" + " model's memory");
        }
        return v.getAsInt();
    }
}
