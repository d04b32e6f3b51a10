package dev.tanrenai.models.tiny;

import dev.tanrenai.models.gguf.GgmlType;
import java.util.Objects;

/**
 * Hyper-parameters of a seeded random tiny model that llama.cpp (b4916) can load; validated so
 * that every produced file is loadable.
 *
 * @param architecture llama.cpp architecture
 * @param blockCount transformer blocks
 * @param embeddingLength model width (dim)
 * @param headCount attention (query) heads; dim must be divisible by it, head dim must be even
 * @param headCountKv key/value heads; headCount must be divisible by it
 * @param feedForwardLength SwiGLU hidden width
 * @param vocabSize vocabulary size, see {@link TinyVocab#MIN_SIZE} and {@link TinyVocab#MAX_SIZE}
 * @param contextLength training context length written to the file
 * @param ropeFreqBase RoPE theta
 * @param rmsEps RMSNorm epsilon
 * @param seed seed of the random weights
 * @param tensorType type of the 2-D weight matrices: F32, F16 or Q8_0 (norms and biases stay F32)
 */
public record TinyModelSpec(
        TinyArchitecture architecture,
        int blockCount,
        int embeddingLength,
        int headCount,
        int headCountKv,
        int feedForwardLength,
        int vocabSize,
        int contextLength,
        float ropeFreqBase,
        float rmsEps,
        long seed,
        GgmlType tensorType) {

    public TinyModelSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(tensorType, "tensorType");
        requireRange("blockCount", blockCount, 1, 64);
        requireRange("embeddingLength", embeddingLength, 8, 4096);
        requireRange("headCount", headCount, 1, 256);
        requireRange("headCountKv", headCountKv, 1, 256);
        requireRange("feedForwardLength", feedForwardLength, 1, 16384);
        requireRange("vocabSize", vocabSize, TinyVocab.MIN_SIZE, TinyVocab.MAX_SIZE);
        requireRange("contextLength", contextLength, 16, 1 << 20);
        if (embeddingLength % headCount != 0) {
            throw new IllegalArgumentException(
                    "embeddingLength " + embeddingLength + " is not divisible by headCount " + headCount);
        }
        if (headCount % headCountKv != 0) {
            throw new IllegalArgumentException(
                    "headCount " + headCount + " is not divisible by headCountKv " + headCountKv);
        }
        if ((embeddingLength / headCount) % 2 != 0) {
            throw new IllegalArgumentException(
                    "head dimension " + embeddingLength / headCount + " must be even for RoPE");
        }
        if (!(ropeFreqBase > 0f) || Float.isInfinite(ropeFreqBase)) {
            throw new IllegalArgumentException("ropeFreqBase must be positive and finite, got " + ropeFreqBase);
        }
        if (!(rmsEps > 0f) || !(rmsEps < 1f)) {
            throw new IllegalArgumentException("rmsEps must be in (0, 1), got " + rmsEps);
        }
        switch (tensorType) {
            case F32, F16 -> {}
            case Q8_0 -> {
                if (embeddingLength % 32 != 0 || feedForwardLength % 32 != 0) {
                    throw new IllegalArgumentException("Q8_0 needs embeddingLength (" + embeddingLength
                            + ") and feedForwardLength (" + feedForwardLength + ") divisible by 32");
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "tiny models support tensorType F32, F16 or Q8_0, got " + tensorType);
        }
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** A llama model of 2 blocks, dim 64, 4 heads, 2 KV heads, FFN 128, vocab 512, F32, seed 42. */
    public static TinyModelSpec llamaDefault() {
        return new TinyModelSpec(TinyArchitecture.LLAMA, 2, 64, 4, 2, 128, 512, 512, 10000f, 1e-5f, 42L, GgmlType.F32);
    }

    /** The same geometry as {@link #llamaDefault()} for the qwen2 architecture. */
    public static TinyModelSpec qwen2Default() {
        return new TinyModelSpec(
                TinyArchitecture.QWEN2, 2, 64, 4, 2, 128, 512, 512, 1000000f, 1e-6f, 42L, GgmlType.F32);
    }

    /** Head dimension (embeddingLength / headCount). */
    public int headDim() {
        return embeddingLength / headCount;
    }

    /** Width of the K and V projections (headDim * headCountKv). */
    public int kvDim() {
        return headDim() * headCountKv;
    }

    /** A copy with another seed. */
    public TinyModelSpec withSeed(long newSeed) {
        return new TinyModelSpec(
                architecture,
                blockCount,
                embeddingLength,
                headCount,
                headCountKv,
                feedForwardLength,
                vocabSize,
                contextLength,
                ropeFreqBase,
                rmsEps,
                newSeed,
                tensorType);
    }

    /** A copy with another matrix tensor type. */
    public TinyModelSpec withTensorType(GgmlType newType) {
        return new TinyModelSpec(
                architecture,
                blockCount,
                embeddingLength,
                headCount,
                headCountKv,
                feedForwardLength,
                vocabSize,
                contextLength,
                ropeFreqBase,
                rmsEps,
                seed,
                newType);
    }
}
