package dev.tanrenai.decoder;

import dev.tanrenai.models.gguf.GgufMetadata;
import java.util.Locale;

/**
 * The shape of a decoder-only transformer, read from GGUF metadata exactly as llama.cpp reads it.
 *
 * @param architecture {@code llama} or {@code qwen2}
 * @param blockCount transformer blocks
 * @param dim model width
 * @param headCount query heads
 * @param headCountKv key/value heads (grouped-query attention when fewer than query heads)
 * @param headDim width of one head (dim / heads)
 * @param ffnDim SwiGLU hidden width
 * @param vocabSize vocabulary size
 * @param ropeDim dimensions of a head that rotate (llama.cpp's {@code rope.dimension_count})
 * @param ropeFreqBase RoPE theta
 * @param ropeFreqScale linear RoPE scaling (1 / factor; 1 when unscaled)
 * @param rmsEps RMSNorm epsilon
 * @param ropeStyle pairing of rotated dimensions
 * @param attentionBiases whether q/k/v projections have biases (qwen2)
 */
public record DecoderConfig(
        String architecture,
        int blockCount,
        int dim,
        int headCount,
        int headCountKv,
        int headDim,
        int ffnDim,
        int vocabSize,
        int ropeDim,
        float ropeFreqBase,
        float ropeFreqScale,
        float rmsEps,
        RopeStyle ropeStyle,
        boolean attentionBiases) {

    public DecoderConfig {
        if (dim % headCount != 0 || headCount % headCountKv != 0 || headDim * headCount != dim) {
            throw new UnsupportedModelException("inconsistent attention shape: dim " + dim + ", heads " + headCount
                    + ", kv heads " + headCountKv + ", head dim " + headDim);
        }
        if (ropeDim > headDim || ropeDim % 2 != 0) {
            throw new UnsupportedModelException(
                    "rope.dimension_count " + ropeDim + " must be even and at most the head" + " dimension " + headDim);
        }
    }

    /**
     * Reads the config of a {@code llama} or {@code qwen2} GGUF.
     *
     * @param vocabSize the number of rows of {@code token_embd.weight}
     * @throws UnsupportedModelException naming the architecture or key Tanrenai cannot handle
     */
    public static DecoderConfig from(GgufMetadata md, int vocabSize) {
        String arch = md.getString("general.architecture");
        boolean biases;
        RopeStyle style;
        switch (arch) {
            case "llama" -> {
                biases = false;
                style = RopeStyle.NORM;
            }
            case "qwen2" -> {
                biases = true;
                style = RopeStyle.NEOX;
            }
            default ->
                throw new UnsupportedModelException(
                        "architecture '" + arch + "' is not supported for training (supported: llama, qwen2)");
        }
        String p = arch + ".";
        int dim = md.getInt(p + "embedding_length");
        int heads = md.getInt(p + "attention.head_count");
        int kvHeads = md.optionalInt(p + "attention.head_count_kv").orElse(heads);
        int headDim = dim / heads;
        float scale = 1f;
        String scaling =
                md.optionalString(p + "rope.scaling.type").orElse("none").toLowerCase(Locale.ROOT);
        switch (scaling) {
            case "none" -> {}
            case "linear" -> scale = 1f / md.getFloat(p + "rope.scaling.factor");
            default ->
                throw new UnsupportedModelException(
                        "rope scaling '" + scaling + "' is not supported for training (supported: none, linear)");
        }
        return new DecoderConfig(
                arch,
                md.getInt(p + "block_count"),
                dim,
                heads,
                kvHeads,
                headDim,
                md.getInt(p + "feed_forward_length"),
                vocabSize,
                md.optionalInt(p + "rope.dimension_count").orElse(headDim),
                md.optionalFloat(p + "rope.freq_base").orElse(10000f),
                scale,
                md.getFloat(p + "attention.layer_norm_rms_epsilon"),
                style,
                biases);
    }
}
